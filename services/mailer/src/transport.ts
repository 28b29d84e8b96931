import type { MailRef } from '@paperboy/links';

/** A message ready to go: rendered, personalised, with every header it needs. */
export interface OutgoingMail {
  /** What this message is (a digest delivery, a confirmation…): its envelope sender names it, signed. */
  ref: MailRef;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Without angle brackets' content decided by the caller, e.g. `<delivery-id@domain>`. */
  messageId: string;
  headers: Record<string, string>;
}

/** A message already written out (a digest filled from its edition's template): only the envelope is added. */
export interface RawMail {
  ref: MailRef;
  to: string;
  /** The Message-ID the raw message carries, with angle brackets. */
  messageId: string;
  /** The whole message, headers and body, CRLF line endings, in pieces to be sent one after another. */
  raw: Buffer[];
}

export interface SentMail {
  messageId: string;
  /** Where the message went: the SMTP server's reply or the .eml file written. */
  destination: string;
}

/**
 * The mailer's only port to the outside. SMTP in production, an outbox folder when no SMTP
 * server is configured; both build the message with nodemailer, so what lands is the same.
 */
export interface MailTransport {
  send(mail: OutgoingMail, from: string): Promise<SentMail>;
  /** Sends a message that is already written; DKIM-signed like any other when configured. */
  sendRaw(mail: RawMail): Promise<SentMail>;
  /** Checks the server answers and takes our credentials; throws what it said. The breaker's probe. */
  verify(): Promise<void>;
  isReady(): Promise<boolean>;
  /** The longest a send can take before the transport gives up (its timeouts added up). */
  worstCaseSendMs: number;
  close(): void;
}

/**
 * The nodemailer message for an outgoing mail; both transports build exactly this. The envelope
 * sender is the message's VERP address, so bounces come back to the bounces service naming it.
 */
export function nodemailerMessage(mail: OutgoingMail, from: string, envelopeFrom: string) {
  return {
    from,
    envelope: { from: envelopeFrom, to: mail.to },
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    headers: mail.headers,
  };
}
