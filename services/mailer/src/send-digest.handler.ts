import type { MailerDeps } from './deps.ts';
import { type SkipReason, sendDigests } from './send-digests.handler.ts';
import { RecipientRejectedError, SendFailedError } from './send-failure.ts';

export type SendResult =
  | { status: 'sent'; messageId: string; destination: string; resentAfterCrash: boolean }
  | { status: 'skipped'; reason: SkipReason }
  /** Another mailer's lease on it is still running: look again when it ends. */
  | { status: 'busy'; leaseUntil: Date };

/**
 * Sends one reader's digest: a batch of one. A failure about us or the server throws
 * SendFailedError (the claim already given back); a recipient's permanent rejection throws
 * RecipientRejectedError (the address already suppressed, the delivery failed).
 */
export async function sendDigest(deps: MailerDeps, deliveryId: string): Promise<SendResult> {
  const outcome = (await sendDigests(deps, [deliveryId])).get(deliveryId);
  if (!outcome) throw new Error(`delivery ${deliveryId} got no outcome`);
  switch (outcome.status) {
    case 'failed':
      throw new SendFailedError(outcome.failure, outcome.attempt);
    case 'rejected':
      throw new RecipientRejectedError(outcome.failure);
    case 'deferred':
      throw new Error(`delivery ${deliveryId} was deferred in a batch of one`);
    default:
      return outcome;
  }
}
