import { UnrecoverableError } from 'bullmq';
import { classifySmtpFailure, type SmtpFailure } from './smtp-failure.ts';
import type { MailTransport, OutgoingMail, SentMail } from './transport.ts';

/** A send the SMTP server (or the way to it) refused, classified by what it says about whom. */
export class SendFailedError extends Error {
  override name = 'SendFailedError';
  constructor(
    readonly failure: SmtpFailure,
    /** The delivery's send attempt this was (1 for the first), for the backoff. */
    readonly attempt: number,
  ) {
    super(`${failure.failureClass}: ${failure.message}`);
  }
}

/** A recipient's permanent rejection: BullMQ must not retry it. */
export class RecipientRejectedError extends UnrecoverableError {
  override name = 'RecipientRejectedError';
  constructor(readonly failure: SmtpFailure) {
    super(`permanent SMTP failure for the recipient: ${failure.message}`);
  }
}

/** Sends through the transport; a refusal comes back as SendFailedError with its class. */
export function sendClassified(
  transport: MailTransport,
  mail: OutgoingMail,
  from: string,
  attempt = 1,
): Promise<SentMail> {
  return runClassified(() => transport.send(mail, from), attempt);
}

/** Runs a send; a refusal comes back as SendFailedError with its class. */
export async function runClassified(send: () => Promise<SentMail>, attempt = 1): Promise<SentMail> {
  try {
    return await send();
  } catch (error) {
    throw new SendFailedError(classifySmtpFailure(error), attempt);
  }
}

/** The wait before a delivery is tried again after its attempt-th failure: doubling, capped. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
}

/** The send lease: the transport's worst case plus a margin for the claim and record statements. */
export function sendLeaseSeconds(transport: MailTransport): number {
  return Math.ceil(transport.worstCaseSendMs / 1000) + 10;
}
