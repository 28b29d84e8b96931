import nodemailer from 'nodemailer';
import { type MailTransport, nodemailerMessage, type OutgoingMail, type SentMail } from './transport.ts';

/** Pooled SMTP: connections are reused across messages, which is most of the cost of a send. */
export function createSmtpTransport(smtpUrl: string, poolSize: number): MailTransport {
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    pool: true,
    maxConnections: poolSize,
    maxMessages: 1000,
  });
  return {
    async send(mail: OutgoingMail, from: string): Promise<SentMail> {
      const info = await transporter.sendMail(nodemailerMessage(mail, from));
      return { messageId: info.messageId, destination: `${url.host}: ${info.response}` };
    },
    async isReady() {
      return transporter.verify().then(
        () => true,
        () => false,
      );
    },
    close() {
      transporter.close();
    },
  };
}
