import nodemailer from 'nodemailer';
import { dkimOptions, envelopeSender, type MailAuthConfig } from './mail-identity.ts';
import {
  type MailTransport,
  nodemailerMessage,
  type OutgoingMail,
  type RawMail,
  type SentMail,
} from './transport.ts';

/**
 * The most SMTP round trips one message takes on a fresh connection: EHLO, STARTTLS, EHLO again,
 * AUTH (up to two steps), MAIL FROM, RCPT TO, DATA and the end of data.
 */
const ROUND_TRIPS_PER_MESSAGE = 9;

/**
 * The longest one send can take before nodemailer gives up: connecting, the greeting, then every
 * round trip, each bounded by the same timeout. The send lease is derived from this (see
 * sendLeaseSeconds), so a lease only expires when the mailer that holds it is gone.
 */
export function worstCaseSendMs(timeoutSeconds: number): number {
  return (2 + ROUND_TRIPS_PER_MESSAGE) * timeoutSeconds * 1000;
}

export interface SmtpSettings extends MailAuthConfig {
  smtpUrl: string;
  smtpPoolSize: number;
  smtpTimeoutSeconds: number;
}

/**
 * Pooled SMTP: connections are reused across messages, which is most of the cost of a send.
 * Every timeout is explicit (nodemailer's own defaults allow a socket to sit silent for ten
 * minutes), so the send lease can be longer than any send. Every message is DKIM-signed (when
 * configured) and sent with its VERP envelope sender.
 */
export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  const url = new URL(settings.smtpUrl);
  const timeoutMs = settings.smtpTimeoutSeconds * 1000;
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
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    dkim: dkimOptions(settings),
  });
  return {
    worstCaseSendMs: worstCaseSendMs(settings.smtpTimeoutSeconds),
    async send(mail: OutgoingMail, from: string): Promise<SentMail> {
      const info = await transporter.sendMail(
        nodemailerMessage(mail, from, envelopeSender(settings, mail.ref)),
      );
      return { messageId: info.messageId, destination: `${url.host}: ${info.response}` };
    },
    async sendRaw(mail: RawMail): Promise<SentMail> {
      const info = await transporter.sendMail({
        envelope: { from: envelopeSender(settings, mail.ref), to: mail.to },
        raw: mail.raw,
      });
      return { messageId: mail.messageId, destination: `${url.host}: ${info.response}` };
    },
    async verify() {
      await transporter.verify();
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
