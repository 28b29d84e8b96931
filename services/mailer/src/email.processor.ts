import { parseJob } from '@paperboy/queue';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { MailerDeps } from './deps.ts';
import { processDigestBatch } from './digest-batch.processor.ts';
import { sendAddressConfirmation } from './send-address-confirmation.handler.ts';
import { sendAddressNotice } from './send-address-notice.handler.ts';
import { sendConfirmation } from './send-confirmation.handler.ts';
import { sendConfirmations } from './send-confirmations.handler.ts';
import { sendDataLink } from './send-data-link.handler.ts';
import { sendDigest } from './send-digest.handler.ts';
import { RecipientRejectedError, retryDelayMs, SendFailedError } from './send-failure.ts';
import { sendWelcome } from './send-welcome.handler.ts';

type Outcome = Awaited<ReturnType<typeof route>>;

/**
 * The email queue's consumer: one case per job name; anything else fails loudly. SMTP failures
 * about us or the server never use up a digest's attempts: the job waits (delayed, with backoff)
 * and is tried again until it is sent or its day passes. A 421 backs every mailer off at once.
 */
export function createEmailProcessor(deps: MailerDeps) {
  return async (job: Job, token?: string): Promise<unknown> => {
    if (job.name === 'send-digests') return processSendBatch(deps, job, token);
    if (job.name === 'send-confirmations') return processConfirmations(deps, job, token);
    const log = deps.logger.child({ queue: 'email', job: job.name, jobId: job.id });
    const kind = job.name;
    const stopTimer = deps.metrics.sendDuration.startTimer({ kind });
    const stopSendTimer = deps.metrics.sendSeconds.startTimer({ kind });
    try {
      const result: Outcome = await route(deps, job);
      if (result.status === 'busy') {
        // Someone else's claim is running: look again when its lease ends, not before.
        const waitMs = result.leaseUntil.getTime() - deps.clock.now().getTime() + 1_000;
        await job.moveToDelayed(Date.now() + Math.max(waitMs, 1_000), token);
        throw new DelayedError();
      }
      if (result.status === 'sent') {
        deps.metrics.sent.inc({ kind });
        deps.metrics.mailSent.inc({ kind });
        noteSuccess(deps, kind);
      } else {
        deps.metrics.skipped.inc({ kind, reason: result.reason });
      }
      log.info(result, result.status === 'sent' ? 'mail sent' : 'mail skipped');
      return result;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (error instanceof RecipientRejectedError) {
        deps.metrics.mailFailed.inc({ kind, class: 'recipient' });
        deps.metrics.failures.inc({ kind, permanent: 'true' });
        noteSuccess(deps, kind); // the server works; it answered about this reader
        throw error;
      }
      if (error instanceof SendFailedError) return await handleSendFailure(deps, job, token, error);
      deps.metrics.failures.inc({ kind, permanent: String(error instanceof UnrecoverableError) });
      throw error;
    } finally {
      stopTimer();
      stopSendTimer();
    }
  };
}

/** The daily path's batches: per-message outcomes are counted inside; the job's own time here. */
async function processSendBatch(deps: MailerDeps, job: Job, token: string | undefined): Promise<unknown> {
  const stopTimer = deps.metrics.sendDuration.startTimer({ kind: job.name });
  try {
    return await processDigestBatch(deps, job, token);
  } finally {
    stopTimer();
  }
}

/**
 * A sign-up group's confirmations, counted per mail under the single confirmation's kind (one
 * dashboard line for both). A refusal for one reader is counted and logged and ends there, as
 * for a single confirmation; any other failure sends the job round again (after the same backoff
 * as a single mail), and that run skips the mails already sent.
 */
async function processConfirmations(deps: MailerDeps, job: Job, token: string | undefined): Promise<unknown> {
  const kind = 'send-confirmation';
  const stopTimer = deps.metrics.sendDuration.startTimer({ kind: job.name });
  try {
    const outcomes = await sendConfirmations(deps, parseJob('send-confirmations', job.data).subscriberIds);
    const counts: Record<string, number> = {};
    let retry: unknown;
    for (const [subscriberId, outcome] of outcomes) {
      const label = outcome.status === 'skipped' ? `skipped-${outcome.reason}` : outcome.status;
      counts[label] = (counts[label] ?? 0) + 1;
      if (outcome.status === 'sent') {
        deps.metrics.sent.inc({ kind });
        deps.metrics.mailSent.inc({ kind });
        deps.breaker.recordSuccess();
      } else if (outcome.status === 'skipped') {
        deps.metrics.skipped.inc({ kind, reason: outcome.reason });
      } else if (outcome.status === 'rejected') {
        const { failure } = outcome.error;
        deps.metrics.mailFailed.inc({ kind, class: failure.failureClass });
        deps.metrics.failures.inc({ kind, permanent: 'true' });
        deps.breaker.recordSuccess(); // the server works; it answered about this reader
        deps.logger.warn(
          { queue: 'email', job: job.name, jobId: job.id, subscriberId, err: failure.message },
          'confirmation refused for the recipient; not retried',
        );
      } else {
        retry ??= outcome.error;
      }
    }
    deps.logger.info({ queue: 'email', job: job.name, jobId: job.id, ...counts }, 'confirmations done');
    if (retry instanceof SendFailedError) return await handleSendFailure(deps, job, token, retry);
    if (retry !== undefined) {
      deps.metrics.failures.inc({ kind, permanent: 'false' });
      throw retry;
    }
    return counts;
  } finally {
    stopTimer();
  }
}

/** Digests tell the breaker themselves (sendDigests, as each send ends); other mail here. */
function noteSuccess(deps: MailerDeps, kind: string): void {
  if (kind !== 'send-digest') deps.breaker.recordSuccess();
}

async function handleSendFailure(
  deps: MailerDeps,
  job: Job,
  token: string | undefined,
  error: SendFailedError,
): Promise<never> {
  const { failure } = error;
  const kind = job.name;
  deps.metrics.mailFailed.inc({ kind, class: failure.failureClass });
  deps.metrics.failures.inc({ kind, permanent: 'false' });
  if (kind !== 'send-digest') {
    if (failure.aboutServer) deps.breaker.recordFailure(failure.failureClass, failure.message);
    else deps.breaker.recordSuccess();
  }
  const delayMs = retryDelayMs(deps.config.sendBackoffMs, error.attempt);
  deps.logger.warn(
    {
      queue: 'email',
      job: kind,
      jobId: job.id,
      failureClass: failure.failureClass,
      err: failure.message,
      retryInMs: delayMs,
    },
    'send failed; will retry',
  );
  if (failure.throttle) {
    // 421: the server asks us to slow down. The limiter key is shared, so every mailer waits.
    await deps.emailQueue.rateLimit(deps.config.sendBackoffMs);
    throw Worker.RateLimitError();
  }
  if (kind === 'send-digest' && token) {
    // Not BullMQ's attempts: this never runs out into `failed`; the day passing ends it (expired).
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }
  throw error;
}

function route(deps: MailerDeps, job: Job) {
  switch (job.name) {
    case 'send-digest':
      return sendDigest(deps, parseJob('send-digest', job.data).deliveryId);
    case 'send-confirmation':
      return sendConfirmation(deps, parseJob('send-confirmation', job.data).subscriberId);
    case 'send-welcome':
      return sendWelcome(deps, parseJob('send-welcome', job.data).subscriberId);
    case 'send-data-link':
      return sendDataLink(deps, parseJob('send-data-link', job.data).subscriberId);
    case 'send-address-confirmation':
      return sendAddressConfirmation(deps, parseJob('send-address-confirmation', job.data).changeId);
    case 'send-address-notice':
      return sendAddressNotice(deps, parseJob('send-address-notice', job.data).changeId);
    default:
      throw new UnrecoverableError(`the email queue has no job named "${job.name}"`);
  }
}
