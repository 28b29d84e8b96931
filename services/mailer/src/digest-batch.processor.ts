import { parseJob } from '@paperboy/queue';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { MailerDeps } from './deps.ts';
import { type DigestOutcome, sendDigests } from './send-digests.handler.ts';
import { retryDelayMs } from './send-failure.ts';

// Per message, digests count under the single send's kind, so dashboards read the same.
const KIND = 'send-digest';

type Tally = Record<DigestOutcome['status'], number>;

/**
 * A `send-digests` job: sends the batch (which tells the breaker of each send as it goes), counts
 * every outcome, and if any delivery must be tried
 * again (the server failed, another mailer's lease still runs, or it was not reached) moves the
 * whole job to delayed: on the retry, what was sent is skipped by the ledger. A 421 backs every
 * mailer off at once. The job only completes when every delivery in it is finished.
 */
export async function processDigestBatch(deps: MailerDeps, job: Job, token: string | undefined) {
  const { deliveryIds } = parseJob('send-digests', job.data);
  const log = deps.logger.child({ queue: 'email', job: job.name, jobId: job.id });
  const outcomes = await deps.batchTurns.run(async () => {
    // Stopping: batches still waiting for their turn go back to the queue for another mailer.
    if (deps.lifecycle.stoppingSince !== null) return null;
    return sendDigests(deps, deliveryIds);
  });
  if (outcomes === null) {
    if (token) {
      await job.moveToDelayed(Date.now() + 1_000, token);
      throw new DelayedError();
    }
    throw new Error('mailer stopping; the batch was not sent');
  }

  const tally: Tally = { sent: 0, skipped: 0, busy: 0, failed: 0, rejected: 0, deferred: 0 };
  let retryInMs = 0;
  let throttled = false;
  const failures: { deliveryId: string; failureClass: string; err: string }[] = [];
  const now = deps.clock.now().getTime();
  for (const [deliveryId, outcome] of outcomes) {
    tally[outcome.status] += 1;
    switch (outcome.status) {
      case 'sent':
        deps.metrics.sent.inc({ kind: KIND });
        deps.metrics.mailSent.inc({ kind: KIND });
        log.debug({ deliveryId, ...outcome }, 'mail sent');
        break;
      case 'skipped':
        deps.metrics.skipped.inc({ kind: KIND, reason: outcome.reason });
        break;
      case 'rejected':
        deps.metrics.mailFailed.inc({ kind: KIND, class: 'recipient' });
        deps.metrics.failures.inc({ kind: KIND, permanent: 'true' });
        log.warn(
          { deliveryId, err: outcome.failure.message },
          'recipient rejected the digest; address suppressed',
        );
        break;
      case 'failed': {
        const { failure } = outcome;
        deps.metrics.mailFailed.inc({ kind: KIND, class: failure.failureClass });
        deps.metrics.failures.inc({ kind: KIND, permanent: 'false' });
        throttled ||= failure.throttle;
        retryInMs = Math.max(retryInMs, retryDelayMs(deps.config.sendBackoffMs, outcome.attempt));
        failures.push({ deliveryId, failureClass: failure.failureClass, err: failure.message });
        break;
      }
      case 'busy':
        retryInMs = Math.max(retryInMs, outcome.leaseUntil.getTime() - now + 1_000);
        break;
      case 'deferred':
        retryInMs = Math.max(retryInMs, deps.config.sendBackoffMs);
        break;
    }
  }
  log.info(tally, 'digest batch sent');
  if (failures.length > 0) log.warn({ failures, retryInMs }, 'send failed; will retry');
  if (throttled) {
    // 421: the server asks us to slow down. The limiter key is shared, so every mailer waits.
    await deps.emailQueue.rateLimit(deps.config.sendBackoffMs);
    throw Worker.RateLimitError();
  }
  if (tally.failed + tally.busy + tally.deferred > 0 && token) {
    // Not BullMQ's attempts: this never runs out into `failed`; the day passing ends it (expired).
    await job.moveToDelayed(Date.now() + Math.max(retryInMs, 1_000), token);
    throw new DelayedError();
  }
  return tally;
}
