import type { MailerDeps } from './deps.ts';
import { type ConfirmationResult, sendConfirmation } from './send-confirmation.handler.ts';
import { SendFailedError } from './send-failure.ts';

/** What became of one reader's confirmation in a group. */
export type GroupConfirmationOutcome =
  | ConfirmationResult
  /** Refused for this reader for good (5xx about the recipient): not tried again. */
  | { status: 'rejected'; error: SendFailedError }
  /** About us or the server, or anything else that threw: the job runs again for these. */
  | { status: 'failed'; error: unknown };

/**
 * Sends the confirmations of one sign-up group (the api's group commit queues one job per group),
 * as many at once as the mailer has SMTP slots. Each reader's mail is claimed on its own
 * (claimConfirmationSend), so when the job runs again after a failure, the mails already sent are
 * skipped as sent recently and only the failed ones go.
 */
export async function sendConfirmations(
  deps: MailerDeps,
  subscriberIds: readonly string[],
): Promise<Map<string, GroupConfirmationOutcome>> {
  const outcomes = new Map<string, GroupConfirmationOutcome>();
  const unique = [...new Set(subscriberIds)];
  const width = Math.max(1, deps.slots.size);
  for (let start = 0; start < unique.length; start += width) {
    const chunk = unique.slice(start, start + width);
    const settled = await Promise.allSettled(chunk.map((id) => sendConfirmation(deps, id)));
    settled.forEach((result, index) => {
      const id = chunk[index]!;
      if (result.status === 'fulfilled') outcomes.set(id, result.value);
      else if (result.reason instanceof SendFailedError && result.reason.failure.permanentForRecipient)
        outcomes.set(id, { status: 'rejected', error: result.reason });
      else outcomes.set(id, { status: 'failed', error: result.reason });
    });
  }
  return outcomes;
}
