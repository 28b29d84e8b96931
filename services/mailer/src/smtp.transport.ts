import nodemailer from 'nodemailer';
import { dkimOptions, envelopeSender, type MailAuthConfig } from './mail-identity.ts';
import { type MailTransport, nodemailerMessage, type OutgoingMail, type SentMail } from './transport.ts';

export interface SmtpSettings extends MailAuthConfig {
  smtpUrl: string;
  smtpPoolSize: number;
}

/**
 * Pooled SMTP: connections are reused across messages, which is most of the cost of a send.
 * Every message is DKIM-signed (when configured) and sent with its VERP envelope sender.
 */
export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  const url = new URL(settings.smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    pool: true,
    maxConnections: settings.smtpPoolSize,
    maxMessages: 1000,
    dkim: dkimOptions(settings),
  });
  return {
    async send(mail: OutgoingMail, from: string): Promise<SentMail> {
      const info = await transporter.sendMail(
        nodemailerMessage(mail, from, envelopeSender(settings, mail.ref)),
      );
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
