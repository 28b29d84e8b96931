import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Redis } from '@paperboy/queue';
import {
  createQueues,
  createRedisConnection,
  enqueue,
  type JobData,
  type PaperboyQueues,
} from '@paperboy/queue';
import { ARTIFACTS_DIR } from '@paperboy/testing';
import {
  createOwnDatabase,
  type OwnDatabase,
  type ReaderSeed,
  type SeededReader,
} from './infra/own-database.ts';
import { type OwnRedis, startOwnRedis } from './infra/own-redis.ts';
import { createServiceSet, type ServiceSet } from './infra/services.ts';
import { type Ledger, readLedger } from './ledger.ts';
import type { ChaosSettings } from './settings.ts';
import { type ChaosSink, startChaosSink } from './sink/sink.client.ts';

export interface RunOptions {
  label: string;
  readers: ReaderSeed;
  mailers?: number;
  /** Service environment on top of the harness's (SEND_BACKOFF_MS, CLOCK_START, …). */
  env?: Record<string, string>;
  /** Start the services now (default) or leave it to the scenario. */
  startServices?: boolean;
}

export interface Settled {
  settled: boolean;
  /** Why waiting stopped without the ledger settling. */
  reason?: 'stuck' | 'timeout';
}

export interface ChaosRun {
  settings: ChaosSettings;
  readers: SeededReader[];
  database: OwnDatabase;
  redis: OwnRedis;
  sink: ChaosSink;
  services: ServiceSet;
  queues: PaperboyQueues;
  /** The environment every service process of this run gets. */
  env: Record<string, string>;
  startServices(mailers?: number, extraEnv?: Record<string, string>): Promise<void>;
  /** Queues a plan job as `paperboy digest run-now` does and waits until a worker has run it. */
  plan(data: JobData<'plan'>): Promise<void>;
  /** Readers with at least one digest at the sink. */
  delivered(): Promise<number>;
  waitForDelivered(count: number, timeoutMs?: number): Promise<void>;
  /** Waits until the ledger has nothing unfinished and the sink has gone quiet, within bounds. */
  settle(): Promise<Settled>;
  ledger(): Promise<Ledger>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UNFINISHED = ['planned', 'composed', 'sending'];
const QUIET_MS = 3_000;

/** One scenario's world: its own database, Redis, SMTP sink and service processes. */
export async function openRun(settings: ChaosSettings, options: RunOptions): Promise<ChaosRun> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const database = await createOwnDatabase(options.label);
    cleanups.push(() => database.drop());
    const redis = await startOwnRedis();
    cleanups.push(() => redis.stop());
    const sink = await startChaosSink();
    cleanups.push(() => sink.stop());
    const readers = await database.seedReaders(options.readers);
    const queuePrefix = `{chaos-${randomBytes(3).toString('hex')}}`;
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: settings.logLevel,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: queuePrefix,
      SMTP_URL: sink.smtpUrl,
      PUBLIC_BASE_URL: 'https://paperboy.test',
      TOKEN_SECRET: 'chaos-secret-chaos-secret-chaos-secret',
      HOST: '127.0.0.1',
      PORT: '0',
      WORKER_METRICS_PORT: '0',
      MAILER_METRICS_PORT: '0',
      PLAN_EVERY_MINUTES: '1',
      INGEST_ENABLED: 'false',
      ...options.env,
    };
    const services = createServiceSet(env);
    cleanups.push(async () => {
      await services.stopAll();
      services.saveLogs(join(ARTIFACTS_DIR, 'chaos', database.name));
    });
    const connection: Redis = createRedisConnection(redis.url);
    const queues = createQueues(connection, { queuePrefix });
    cleanups.push(async () => {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      connection.disconnect();
    });

    let planCount = 0;
    const delivered = async () =>
      Object.values((await sink.stats()).accepted).filter((ids) => ids.length > 0).length;
    const run: ChaosRun = {
      settings,
      readers,
      database,
      redis,
      sink,
      services,
      queues,
      env,
      async startServices(mailers = 1, extraEnv = {}) {
        await Promise.all([
          services.start('api', extraEnv),
          services.start('worker', extraEnv),
          ...Array.from({ length: mailers }, () => services.start('mailer', extraEnv)),
        ]);
      },
      async plan(data) {
        planCount += 1;
        const jobId = `chaos-plan-${planCount}`;
        await enqueue(queues, { name: 'plan', data, jobId });
        for (let waited = 0; waited < 60_000; waited += 250) {
          const state = await (await queues.digest.getJob(jobId))?.getState();
          if (state === 'completed') return;
          if (state === 'failed') throw new Error(`plan job ${jobId} failed`);
          await sleep(250);
        }
        throw new Error(`no worker ran plan job ${jobId} within 60 s`);
      },
      delivered,
      async waitForDelivered(count, timeoutMs = settings.runTimeoutSeconds * 1000) {
        const deadline = Date.now() + timeoutMs;
        while ((await delivered()) < count) {
          if (Date.now() > deadline) throw new Error(`fewer than ${count} readers got a digest in time`);
          await sleep(200);
        }
      },
      async settle() {
        const deadline = Date.now() + settings.runTimeoutSeconds * 1000;
        let lastProgress = Date.now();
        let lastKey = '';
        for (;;) {
          const stats = await sink.stats();
          const ledger = await readLedger(database).catch(() => null);
          const key = JSON.stringify([Object.values(stats.accepted).flat().length, ledger?.byStatus]);
          if (key !== lastKey) {
            lastKey = key;
            lastProgress = Date.now();
          }
          const unfinished = ledger
            ? UNFINISHED.reduce((sum, status) => sum + (ledger.byStatus[status] ?? 0), 0)
            : -1;
          const quiet = Date.now() - Math.max(lastProgress, stats.lastAcceptedAt) >= QUIET_MS;
          if (unfinished === 0 && quiet) return { settled: true };
          if (Date.now() - lastProgress > settings.stuckSeconds * 1000)
            return { settled: false, reason: 'stuck' };
          if (Date.now() > deadline) return { settled: false, reason: 'timeout' };
          await sleep(1_000);
        }
      },
      ledger: () => readLedger(database),
      close: cleanUp,
    };
    if (options.startServices !== false) await run.startServices(options.mailers);
    return run;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
