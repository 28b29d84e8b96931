import type { Config } from '@paperboy/config';
import { createPool, openMigratedPool } from '@paperboy/db';
import { closeQueues, createQueues, createRedisConnection, MAX_STALLED_RUNS, Queues } from '@paperboy/queue';
import { createClock, createLogger, type Logger, type OpsServer, startOpsServer } from '@paperboy/runtime';
import { Worker } from 'bullmq';
import type { WorkerDeps } from './deps.ts';
import { createDigestProcessor } from './digest.processor.ts';
import { startIngestWorker } from './ingest.worker.ts';
import { createWorkerMetrics } from './metrics.ts';
import { scheduleRetention } from './retention.handler.ts';
import { upsertPlanScheduler, watchSchedulers } from './schedulers.ts';
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
  const onPoolError = (error: Error) => logger.warn({ err: error }, 'postgres connection lost; reconnecting');
  const pool = await openMigratedPool(config.databaseUrl, 10, onPoolError);
  const editionPool = createPool(config.databaseUrl, 2, onPoolError);
  const onRedisError = (error: Error) => logger.warn({ err: error }, 'redis unavailable; retrying');
  const connection = createRedisConnection(config.redisUrl, onRedisError);
  const queues = createQueues(connection, config, (error, queue) =>
    logger.error({ err: error, queue }, 'queue error'),
  );
  const metrics = createWorkerMetrics();
  const deps: WorkerDeps = {
    config,
    pool,
    editionPool,
    queues,
    redis: connection,
    logger,
    metrics,
    clock: createClock(config),
  };

  if (config.loadSampleWhenEmpty) await loadSampleIfEmpty(pool, config.samplePapersFile, logger);

  await upsertPlanScheduler(queues, config);
  await scheduleRetention(queues);

  // BullMQ leaves a connection it was given open on close(), so the worker keeps a handle to close it.
  const workerConnection = createRedisConnection(config.redisUrl, onRedisError);
  const digestWorker = new Worker(Queues.digest, createDigestProcessor(deps), {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    maxStalledCount: MAX_STALLED_RUNS,
  });
  digestWorker.on('failed', (job, error) => {
    logger.error(
      { queue: 'digest', job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error },
      'job failed',
    );
  });

  // e.g. "Missing key for job" after Redis was wiped under a running job: logged, not printed raw.
  digestWorker.on('error', (error) => logger.error({ queue: 'digest', err: error }, 'worker error'));

  const ingestWorker = await startIngestWorker(deps, connection, workerConnection);
  const schedulerWatch = watchSchedulers(queues, config, logger, metrics);

  const opsServer = await startOpsServer({
    host: config.host,
    port: config.workerMetricsPort,
    portVariable: 'WORKER_METRICS_PORT',
    registry: metrics.registry,
    isReady: async () => {
      const postgres = await pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      const redis = await connection.ping().then(
        (answer) => answer === 'PONG',
        () => false,
      );
      return {
        ready: digestWorker.isRunning() && ingestWorker.isRunning() && postgres && redis,
        postgres,
        redis,
      };
    },
  });
  logger.info({ opsPort: opsServer.port, concurrency: config.workerConcurrency }, 'worker started');

  return {
    deps,
    opsServer,
    async close() {
      schedulerWatch.stop();
      await digestWorker.close();
      await ingestWorker.close();
      workerConnection.disconnect();
      await opsServer.close();
      await closeQueues(queues);
      await connection.quit();
      await pool.end();
      await editionPool.end();
    },
  } satisfies RunningWorker;
}
