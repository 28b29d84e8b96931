import { hostname } from 'node:os';
import nodemailer from 'nodemailer';
import { dkimOptions, envelopeSender, type MailAuthConfig } from './mail-identity.ts';
import { SessionPool } from './pipelined-smtp/session-pool.ts';
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
  const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 587));
  const secure = url.protocol === 'smtps:';
  const auth = url.username
    ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
    : undefined;
  const dkim = dkimOptions(settings);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port,
    secure,
    auth,
    pool: true,
    maxConnections: settings.smtpPoolSize,
    maxMessages: 1000,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    dkim,
  });
  // Digests (already written) go over pipelined sessions; with DKIM on, through nodemailer's signer.
  const pipelined = dkim
    ? null
    : new SessionPool(
        {
          host: url.hostname,
          port,
          secure,
          ...auth,
          timeoutMs,
          clientName: hostname(),
        },
        settings.smtpPoolSize,
      );
  return {
    worstCaseSendMs: worstCaseSendMs(settings.smtpTimeoutSeconds),
    async send(mail: OutgoingMail, from: string): Promise<SentMail> {
      const info = await transporter.sendMail(
        nodemailerMessage(mail, from, envelopeSender(settings, mail.ref)),
      );
      return { messageId: info.messageId, destination: `${url.host}: ${info.response}` };
    },
    async sendRaw(mail: RawMail): Promise<SentMail> {
      const envelope = { from: envelopeSender(settings, mail.ref), to: mail.to };
      if (pipelined) {
        const reply = await pipelined.send(envelope, mail.raw);
        return { messageId: mail.messageId, destination: `${url.host}: ${reply.code} ${reply.text}` };
      }
      const info = await transporter.sendMail({ envelope, raw: Buffer.concat(mail.raw) });
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
      pipelined?.close();
      transporter.close();
    },
  };
}
