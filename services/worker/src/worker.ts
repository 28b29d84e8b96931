import type { Config } from '@paperboy/config';
import { openMigratedPool } from '@paperboy/db';
import { closeQueues, createQueues, createRedisConnection, Queues } from '@paperboy/queue';
import { createLogger, type Logger, type OpsServer, startOpsServer } from '@paperboy/runtime';
import { Worker } from 'bullmq';
import type { WorkerDeps } from './deps.ts';
import { createDigestProcessor } from './digest.processor.ts';
import { startIngestWorker } from './ingest.worker.ts';
import { createWorkerMetrics } from './metrics.ts';
import { scheduleRetention } from './retention.handler.ts';
import { loadSampleIfEmpty } from './store-bootstrap.ts';

export interface RunningWorker {
  deps: WorkerDeps;
  opsServer: OpsServer;
  /** Stops taking jobs, lets in-flight ones finish, then closes connections. */
  close(): Promise<void>;
}

/** Everything the worker process runs; main.ts only adds signals. Tests start it the same way. */
export async function startWorker(
  config: Readonly<Config>,
  logger: Logger = createLogger('worker', config.logLevel),
) {
  const pool = await openMigratedPool(config.databaseUrl);
  const connection = createRedisConnection(config.redisUrl);
  const queues = createQueues(connection, config);
  const metrics = createWorkerMetrics();
  const deps: WorkerDeps = { config, pool, queues, logger, metrics };

  if (config.loadSampleWhenEmpty) await loadSampleIfEmpty(pool, config.samplePapersFile, logger);

  // One scheduler entry however many workers start: upsert by id is idempotent across replicas.
  await queues.digest.upsertJobScheduler(
    'plan-due-digests',
    { every: config.planEveryMinutes * 60_000 },
    { name: 'plan', data: { ignoreSendHour: false } },
  );
  await scheduleRetention(queues);

  // BullMQ leaves a connection it was given open on close(), so the worker keeps a handle to close it.
  const workerConnection = createRedisConnection(config.redisUrl);
  const digestWorker = new Worker(Queues.digest, createDigestProcessor(deps), {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
  });
  digestWorker.on('failed', (job, error) => {
    logger.error(
      { queue: 'digest', job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error },
      'job failed',
    );
  });

  const ingestWorker = await startIngestWorker(deps, connection, workerConnection);

  const opsServer = await startOpsServer({
    host: config.host,
    port: config.workerMetricsPort,
    registry: metrics.registry,
    isReady: async () =>
      digestWorker.isRunning() && ingestWorker.isRunning() && (await pool.query('SELECT 1')).rowCount === 1,
  });
  logger.info({ opsPort: opsServer.port, concurrency: config.workerConcurrency }, 'worker started');

  return {
    deps,
    opsServer,
    async close() {
      await digestWorker.close();
      await ingestWorker.close();
      workerConnection.disconnect();
      await opsServer.close();
      await closeQueues(queues);
      await connection.quit();
      await pool.end();
    },
  } satisfies RunningWorker;
}
