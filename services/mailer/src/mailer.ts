import type { Config } from '@paperboy/config';
import { openMigratedPool } from '@paperboy/db';
import { createRedisConnection, Queues } from '@paperboy/queue';
import { createLogger, type Logger, startOpsServer } from '@paperboy/runtime';
import { Worker } from 'bullmq';
import type { MailerDeps } from './deps.ts';
import { EditionCache } from './edition-cache.ts';
import { createEmailProcessor } from './email.processor.ts';
import { createMailerMetrics } from './metrics.ts';
import { createOutboxTransport } from './outbox.transport.ts';
import { createSmtpTransport } from './smtp.transport.ts';
import type { MailTransport } from './transport.ts';

export function createTransport(config: Readonly<Config>): MailTransport {
  return config.smtpUrl
    ? createSmtpTransport({ ...config, smtpUrl: config.smtpUrl })
    : createOutboxTransport(config.outboxDir, config);
}

/** Everything the mailer process runs; main.ts only adds signals. Tests start it the same way. */
export async function startMailer(
  config: Readonly<Config>,
  logger: Logger = createLogger('mailer', config.logLevel),
) {
  const pool = await openMigratedPool(config.databaseUrl);
  const transport = createTransport(config);
  if (!config.smtpUrl && config.nodeEnv === 'production') {
    logger.warn(
      { outboxDir: config.outboxDir },
      'SMTP_URL is not set: mail is written to the outbox, not sent',
    );
  }
  const metrics = createMailerMetrics();
  const deps: MailerDeps = { config, pool, transport, editions: new EditionCache(pool), logger, metrics };

  // BullMQ leaves a connection it was given open on close(), so the worker keeps a handle to close it.
  const workerConnection = createRedisConnection(config.redisUrl);
  const emailWorker = new Worker(Queues.email, createEmailProcessor(deps), {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: config.mailerConcurrency,
  });
  emailWorker.on('failed', (job, error) => {
    logger.error(
      { queue: 'email', job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error },
      'job failed',
    );
  });

  const opsServer = await startOpsServer({
    host: config.host,
    port: config.mailerMetricsPort,
    registry: metrics.registry,
    isReady: async () => emailWorker.isRunning() && (await transport.isReady()),
  });
  logger.info(
    { opsPort: opsServer.port, transport: config.smtpUrl ? 'smtp' : `outbox ${config.outboxDir}` },
    'mailer started',
  );

  return {
    deps,
    opsServer,
    /** Stops taking jobs, lets in-flight sends finish, then closes SMTP and Postgres. */
    async close() {
      await emailWorker.close();
      workerConnection.disconnect();
      await opsServer.close();
      transport.close();
      await pool.end();
    },
  };
}
