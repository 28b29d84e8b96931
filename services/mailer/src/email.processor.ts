import { parseJob } from '@paperboy/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import type { MailerDeps } from './deps.ts';
import { sendAddressConfirmation } from './send-address-confirmation.handler.ts';
import { sendAddressNotice } from './send-address-notice.handler.ts';
import { sendConfirmation } from './send-confirmation.handler.ts';
import { sendDigest } from './send-digest.handler.ts';
import { sendWelcome } from './send-welcome.handler.ts';

/** The email queue's consumer: one case per job name; anything else fails loudly. */
export function createEmailProcessor(deps: MailerDeps) {
  return async (job: Job): Promise<unknown> => {
    const log = deps.logger.child({ queue: 'email', job: job.name, jobId: job.id });
    const kind = job.name;
    const timer = deps.metrics.sendDuration.startTimer({ kind });
    try {
      const result = await route(deps, job);
      if (result.status === 'sent') deps.metrics.sent.inc({ kind });
      else deps.metrics.skipped.inc({ kind, reason: result.reason });
      log.info(result, result.status === 'sent' ? 'mail sent' : 'mail skipped');
      return result;
    } catch (error) {
      deps.metrics.failures.inc({ kind, permanent: String(error instanceof UnrecoverableError) });
      throw error;
    } finally {
      timer();
    }
  };
}

function route(deps: MailerDeps, job: Job) {
  switch (job.name) {
    case 'send-digest':
      return sendDigest(deps, parseJob('send-digest', job.data).deliveryId, {
        isLast: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      });
    case 'send-confirmation':
      return sendConfirmation(deps, parseJob('send-confirmation', job.data).subscriberId);
    case 'send-welcome':
      return sendWelcome(deps, parseJob('send-welcome', job.data).subscriberId);
    case 'send-address-confirmation':
      return sendAddressConfirmation(deps, parseJob('send-address-confirmation', job.data).changeId);
    case 'send-address-notice':
      return sendAddressNotice(deps, parseJob('send-address-notice', job.data).changeId);
    default:
      throw new UnrecoverableError(`the email queue has no job named "${job.name}"`);
  }
}
