import { parseJob } from '@paperboy/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import { composeDigests } from './compose.handler.ts';
import type { WorkerDeps } from './deps.ts';
import { planDigests } from './plan.handler.ts';
import { runRetention } from './retention.handler.ts';

/** The digest queue's consumer: one case per job name; anything else is a bug and fails loudly. */
export function createDigestProcessor(deps: WorkerDeps) {
  return async (job: Job): Promise<unknown> => {
    const log = deps.logger.child({ queue: 'digest', job: job.name, jobId: job.id });
    const timer = deps.metrics.jobDuration.startTimer({ job: job.name });
    try {
      switch (job.name) {
        case 'plan': {
          const result = await planDigests(deps, parseJob('plan', job.data));
          log.info(result, 'planned digests');
          return result;
        }
        case 'compose': {
          const result = await composeDigests(deps, parseJob('compose', job.data).deliveryIds);
          log.info(result, 'composed digests');
          return result;
        }
        case 'retention': {
          parseJob('retention', job.data);
          const result = await runRetention(deps);
          log.info(result, 'deleted records older than RETENTION_DAYS');
          return result;
        }
        default:
          throw new UnrecoverableError(`the digest queue has no job named "${job.name}"`);
      }
    } finally {
      timer();
    }
  };
}
