import { RedisRequestLimiter } from '@paperboy/papers';
import { Queues, type Redis } from '@paperboy/queue';
import { Worker } from 'bullmq';
import type { WorkerDeps } from './deps.ts';
import { createIngestProcessor } from './ingest.processor.ts';
import { syncIngestSchedules } from './ingest-schedule.ts';

/**
 * Consumes the ingest queue and keeps its schedules in line with the configuration. The worker
 * consumes ingest jobs even when scheduling is off, so an operator can still queue one by hand.
 */
export async function startIngestWorker(
  deps: WorkerDeps,
  connection: Redis,
  workerConnection: Redis,
): Promise<Worker> {
  const { config, logger } = deps;
  // One request every 3 s, one at a time, across every worker and CLI sharing this Redis and prefix.
  const arxivLimiter = new RedisRequestLimiter({
    redis: connection,
    keyPrefix: `${config.queuePrefix}:limiter:arxiv`,
  });
  const schedules = await syncIngestSchedules(deps.queues, config);
  const worker = new Worker(Queues.ingest, createIngestProcessor(deps, arxivLimiter), {
    connection: workerConnection,
    prefix: config.queuePrefix,
    // Ingest jobs are few and long; one at a time per replica keeps them gentle on the sources.
    concurrency: 1,
  });
  worker.on('failed', (job, error) => {
    logger.error(
      { queue: 'ingest', job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error },
      'job failed',
    );
  });
  worker.on('error', (error) => logger.error({ queue: 'ingest', err: error }, 'worker error'));
  logger.info(
    { schedules, sources: config.ingestSources, enabled: config.ingestEnabled },
    schedules.length > 0 ? 'ingest scheduled (UTC)' : 'ingest not scheduled',
  );
  return worker;
}
