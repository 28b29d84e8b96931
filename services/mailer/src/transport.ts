/** A message ready to go: rendered, personalised, with every header it needs. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Without angle brackets' content decided by the caller, e.g. `<delivery-id@domain>`. */
  messageId: string;
  headers: Record<string, string>;
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
  /** Checks the server answers and takes our credentials; throws what it said. The breaker's probe. */
  verify(): Promise<void>;
  isReady(): Promise<boolean>;
  /** The longest a send can take before the transport gives up (its timeouts added up). */
  worstCaseSendMs: number;
  close(): void;
}

/** The nodemailer message for an outgoing mail; both transports build exactly this. */
export function nodemailerMessage(mail: OutgoingMail, from: string) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    headers: mail.headers,
  };
}
