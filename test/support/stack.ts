import { startApi } from '@paperboy/api';
import { type Config, loadConfig } from '@paperboy/config';
import { startMailer } from '@paperboy/mailer';
import { createQueues, createRedisConnection, enqueue, type PaperboyQueues, Queues } from '@paperboy/queue';
import {
  createTestQueuePrefix,
  createTestSchema,
  type SmtpSink,
  type SmtpSinkOptions,
  startSmtpSink,
  TEST_REDIS_URL,
} from '@paperboy/testing';
import { startWorker } from '@paperboy/worker';
import { QueueEvents } from 'bullmq';

export const PUBLIC_BASE_URL = 'https://paperboy.test';

export interface Stack {
  config: Readonly<Config>;
  sink: SmtpSink;
  api: Awaited<ReturnType<typeof startApi>>;
  workers: Awaited<ReturnType<typeof startWorker>>[];
  mailer: Awaited<ReturnType<typeof startMailer>> | null;
  /** Turns a link from a mail (on PUBLIC_BASE_URL) into the test api's real address. */
  local(url: string): string;
  /** Runs a plan job through the worker as if it were `runAt`, and waits for it. */
  plan(runAt: Date, ignoreSendHour?: boolean): Promise<{ planned: number }>;
  close(): Promise<void>;
}

/** The three services in-process, wired exactly as their main.ts wires them, on an isolated schema and prefix. */
export async function startStack(
  label: string,
  options: {
    workers?: number;
    mailer?: boolean;
    env?: Record<string, string>;
    /** Sink features (AUTH for 535 drills); with auth the mailer logs in as paperboy. */
    sink?: SmtpSinkOptions;
    /** Names this file's Postgres connections, so a test can terminate exactly those backends. */
    applicationName?: string;
  } = {},
): Promise<Stack> {
  const schema = await createTestSchema(label);
  const queuePrefix = createTestQueuePrefix(label);
  const sink = await startSmtpSink(options.sink);
  const databaseUrl = new URL(schema.url);
  if (options.applicationName) databaseUrl.searchParams.set('application_name', options.applicationName);
  const smtpUrl = options.sink?.auth ? sink.url.replace('smtp://', 'smtp://paperboy:secret@') : sink.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix.prefix,
    SMTP_URL: smtpUrl,
    PUBLIC_BASE_URL,
    PORT: '0',
    API_METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    MAILER_METRICS_PORT: '0',
    PLAN_EVERY_MINUTES: '60',
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-42',
    ...options.env,
  });
  const api = await startApi(config);
  const workers: Stack['workers'] = [];
  for (let index = 0; index < (options.workers ?? 1); index += 1) workers.push(await startWorker(config));
  const mailer = options.mailer === false ? null : await startMailer(config);
  const connection = createRedisConnection(config.redisUrl);
  const queues = createQueues(connection, config);
  const eventsConnection = createRedisConnection(config.redisUrl);
  const events = new QueueEvents(Queues.digest, { connection: eventsConnection, prefix: config.queuePrefix });
  await events.waitUntilReady();
  await settleStartupPlan(queues);
  let planCount = 0;

  return {
    config,
    sink,
    api,
    workers,
    mailer,
    local: (url) => url.replace(PUBLIC_BASE_URL, api.address),
    async plan(runAt, ignoreSendHour = false) {
      planCount += 1;
      const jobId = `test-plan-${planCount}`;
      await enqueue(queues, { name: 'plan', data: { ignoreSendHour, runAt: runAt.toISOString() }, jobId });
      const job = await queues.digest.getJob(jobId);
      return (await job!.waitUntilFinished(events, 30_000)) as { planned: number };
    },
    async close() {
      await events.close();
      eventsConnection.disconnect();
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      await connection.quit();
      await api.close();
      for (const worker of workers) await worker.close();
      await mailer?.close();
      await sink.close();
      await queuePrefix.remove();
      await schema.drop();
    },
  };
}

/**
 * A worker's plan scheduler runs its first plan as the worker starts. A test that seeds a reader and
 * then plans would race that run (the reader planned by it, the test's own plan finding nothing), so
 * the stack is handed over only once that first run is over.
 */
async function settleStartupPlan(queues: PaperboyQueues): Promise<void> {
  for (let tries = 0; tries < 300; tries += 1) {
    const pending = await queues.digest.getJobs(['wait', 'active', 'prioritized', 'delayed']);
    // The scheduler's next run, an interval away, waits as a delayed job: that one is not pending.
    const dueSoon = (job: (typeof pending)[number]) => job.timestamp + job.delay < Date.now() + 1_000;
    if (!pending.some((job) => job.name === 'plan' && dueSoon(job))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the worker's start-up plan did not finish within 15 s");
}
