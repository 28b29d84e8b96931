/**
 * What a failed send says, and about whom. nodemailer's errors carry `responseCode` (the SMTP
 * reply), `response` (its text, with the enhanced status code RFC 3463 puts first), `command`
 * ('RCPT TO', 'MAIL FROM', 'AUTH PLAIN', 'DATA', 'CONN' …) and `code` (EAUTH, ECONNECTION,
 * ETIMEDOUT, EENVELOPE, EDNS, ETLS, ESOCKET …).
 *
 * - `recipient`: permanent for this reader (5xx at RCPT TO: no such user, mailbox disabled,
 *   mailbox full): suppress the address, fail the delivery, never retry.
 * - `deferred`: this recipient, for now (4xx at RCPT TO, e.g. greylisting): retry later.
 * - everything else is about us or the server: `auth` (535), `sender` (553, 5.7.x, MAIL FROM
 *   refused), `size` (552, 5.2.3, 5.3.4), `content` (other 5xx at DATA), `throttled` (421),
 *   `temporary` (other 4xx), `tls`, `dns`, `connection`, `timeout`, `unknown`. No reader is ever
 *   suppressed for these; sends wait and are retried, and a run of them opens the breaker.
 */
export type FailureClass =
  | 'recipient'
  | 'deferred'
  | 'auth'
  | 'sender'
  | 'size'
  | 'content'
  | 'throttled'
  | 'temporary'
  | 'tls'
  | 'dns'
  | 'connection'
  | 'timeout'
  | 'unknown';

export interface SmtpFailure {
  failureClass: FailureClass;
  /** Only `recipient`: suppress the address and stop. */
  permanentForRecipient: boolean;
  /** About us or the server (everything but recipient and deferred): counts toward the breaker. */
  aboutServer: boolean;
  /** 421 "slow down / closing": every mailer backs off, not just this job. */
  throttle: boolean;
  message: string;
}

interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** The RFC 3463 enhanced status code in a reply, e.g. "5.1.1" in "550 5.1.1 <x@y>: no such user". */
function enhancedCode(response: string | undefined): string | null {
  return /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(response ?? '')?.[0] ?? null;
}

function classOf(error: NodemailerError): FailureClass {
  const code = error.responseCode;
  const command = (error.command ?? '').toUpperCase();
  const enhanced = enhancedCode(error.response ?? error.message);
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH' || command.startsWith('AUTH')) return 'auth';
  if (typeof code === 'number') {
    if (code === 421) return 'throttled';
    if (code === 530 || code === 535 || code === 534 || code === 454) return 'auth';
    if (command === 'RCPT TO') {
      if (code >= 400 && code < 500) return 'deferred';
      // At RCPT, policy (5.7.x: relaying denied, sender blocked) and system (5.3.x) codes are about
      // us; a message-size code is about our message; everything else names the recipient.
      if (enhanced?.startsWith('5.7.')) return 'sender';
      if (enhanced?.startsWith('5.3.')) return 'temporary';
      if (enhanced === '5.2.3') return 'size';
      return 'recipient';
    }
    if (code >= 400 && code < 500) return 'temporary';
    if (code === 552 || enhanced === '5.2.3' || enhanced === '5.3.4') return 'size';
    if (code === 553 || command === 'MAIL FROM' || enhanced?.startsWith('5.7.')) return 'sender';
    if (command === 'DATA') return 'content';
    return 'unknown';
  }
  switch (error.code) {
    case 'ETLS':
    case 'EREQUIRETLS':
      return 'tls';
    case 'EDNS':
      return 'dns';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ECONNREFUSED':
    case 'EPROTOCOL':
      return 'connection';
    case 'EMESSAGE':
      return 'size';
    default:
      return 'unknown';
  }
}

export function classifySmtpFailure(error: unknown): SmtpFailure {
  const failure = (error ?? {}) as NodemailerError;
  const failureClass = classOf(failure);
  return {
    failureClass,
    permanentForRecipient: failureClass === 'recipient',
    aboutServer: failureClass !== 'recipient' && failureClass !== 'deferred',
    throttle: failureClass === 'throttled',
    message: failure.message ?? String(error),
  };
}
