import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '@paperboy/config';
import { openMigratedPool } from '@paperboy/db';
import { createQueues, createRedisConnection, MAX_STALLED_RUNS, Queues } from '@paperboy/queue';
import { createClock, createLogger, type Logger, startOpsServer } from '@paperboy/runtime';
import { Worker } from 'bullmq';
import type { MailerDeps } from './deps.ts';
import { EditionCache } from './edition-cache.ts';
import { createEmailProcessor } from './email.processor.ts';
import { listId } from './mail-identity.ts';
import { createMailerMetrics } from './metrics.ts';
import { createOutboxTransport } from './outbox.transport.ts';
import type { Lifecycle } from './persist-outcome.ts';
import { SendBreaker } from './send-breaker.ts';
import { sendLeaseSeconds } from './send-failure.ts';
import { SendSlots } from './send-slots.ts';
import { SentRecorder } from './sent-recorder.ts';
import { createSmtpTransport } from './smtp.transport.ts';
import type { MailTransport } from './transport.ts';

export function createTransport(config: Readonly<Config>): MailTransport {
  return config.smtpUrl
    ? createSmtpTransport({ ...config, smtpUrl: config.smtpUrl })
    : createOutboxTransport(config.outboxDir, config);
}

// BullMQ only checks a manual rate limit (a 421's back-off) on queues whose workers have a limiter,
// so "unlimited" is a limiter no mailer reaches.
const UNLIMITED_PER_SECOND = 1_000_000;
/** See MailerDeps.batchTurns: two, so one batch claims and writes its next chunk while the other sends. */
const BATCHES_SENDING_AT_ONCE = 2;

/** Everything the mailer process runs; main.ts only adds signals. Tests start it the same way. */
export async function startMailer(
  config: Readonly<Config>,
  logger: Logger = createLogger('mailer', config.logLevel),
) {
  const onPoolError = (error: Error) => logger.warn({ err: error }, 'postgres connection lost; reconnecting');
  const pool = await openMigratedPool(config.databaseUrl, 10, onPoolError);
  const transport = createTransport(config);
  if (!config.smtpUrl && config.nodeEnv === 'production') {
    logger.warn(
      { outboxDir: config.outboxDir },
      'SMTP_URL is not set: mail is written to the outbox, not sent',
    );
  }
  const onRedisError = (error: Error) => logger.warn({ err: error }, 'redis unavailable; retrying');
  const connection = createRedisConnection(config.redisUrl, onRedisError);
  const queues = createQueues(connection, config, (error, queue) =>
    logger.error({ err: error, queue }, 'queue error'),
  );
  const metrics = createMailerMetrics();
  const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const breaker = new SendBreaker({
    queue: queues.email,
    redis: connection,
    key: `${config.queuePrefix}:email:breaker`,
    probe: () => transport.verify(),
    logger,
    onChange: (open) => metrics.breakerOpen.set(open ? 1 : 0),
    baseDelayMs: config.sendBackoffMs,
    instance,
  });
  metrics.breakerOpen.set(0);
  const lifecycle: Lifecycle = { stoppingSince: null };
  const leaseSeconds = sendLeaseSeconds(transport);
  const clock = createClock(config);
  const sentRecorder = new SentRecorder({ pool, clock, logger, lifecycle });
  const deps: MailerDeps = {
    config,
    pool,
    transport,
    editions: new EditionCache(pool, { from: config.mailFrom, listId: listId(config) }),
    logger,
    metrics,
    clock,
    instance,
    leaseSeconds,
    slots: new SendSlots(config.smtpPoolSize),
    batchTurns: new SendSlots(BATCHES_SENDING_AT_ONCE),
    sentRecorder,
    breaker,
    emailQueue: queues.email,
    lifecycle,
  };

  // BullMQ leaves a connection it was given open on close(), so the worker keeps a handle to close it.
  const workerConnection = createRedisConnection(config.redisUrl, onRedisError);
  const emailWorker = new Worker(Queues.email, createEmailProcessor(deps), {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: config.mailerConcurrency,
    maxStalledCount: MAX_STALLED_RUNS,
    // Global across every mailer sharing this Redis and prefix (SEND_RATE_PER_SECOND).
    limiter: { max: config.sendRatePerSecond ?? UNLIMITED_PER_SECOND, duration: 1_000 },
  });
  emailWorker.on('failed', (job, error) => {
    logger.error(
      { queue: 'email', job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error },
      'job failed',
    );
  });
  // e.g. "Missing key for job" after Redis was wiped under a running job: logged, not printed raw.
  emailWorker.on('error', (error) => logger.error({ queue: 'email', err: error }, 'worker error'));
  breaker.startWatchdog();

  const opsServer = await startOpsServer({
    host: config.host,
    port: config.mailerMetricsPort,
    portVariable: 'MAILER_METRICS_PORT',
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
      const breakerCause = redis ? await breaker.cause() : null;
      const ready = emailWorker.isRunning() && postgres && redis && breakerCause === null && !breaker.isOpen;
      return {
        ready,
        postgres,
        redis,
        sending: breakerCause === null && !breaker.isOpen ? 'running' : 'paused',
        ...(breakerCause ? { cause: breakerCause } : {}),
      };
    },
  });
  logger.info(
    {
      opsPort: opsServer.port,
      transport: config.smtpUrl ? 'smtp' : `outbox ${config.outboxDir}`,
      instance,
      // Derived from the SMTP timeouts: a claim outlives any send, so it only expires if we die.
      leaseSeconds,
      sendRatePerSecond: config.sendRatePerSecond ?? 'unlimited',
      onUncertain: config.onUncertain,
    },
    'mailer started',
  );

  let closing: Promise<void> | null = null;
  const close = async () => {
    lifecycle.stoppingSince = Date.now();
    await emailWorker.close();
    breaker.stop();
    workerConnection.disconnect();
    await opsServer.close();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    connection.disconnect();
    transport.close();
    await pool.end();
  };
  return {
    deps,
    opsServer,
    /** Stops taking jobs, lets in-flight sends finish and record, then closes SMTP and Postgres. Once. */
    close(): Promise<void> {
      closing ??= close();
      return closing;
    },
  };
}
