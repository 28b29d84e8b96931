import type { BenchWorld } from './world.ts';

/** The three knobs the issue names; each from the bench's flag, else its environment, else here. */
export interface Knobs {
  workerConcurrency: number;
  mailerConcurrency: number;
  smtpPoolSize: number;
}

export const DEFAULT_KNOBS: Knobs = { workerConcurrency: 8, mailerConcurrency: 50, smtpPoolSize: 10 };

/** 12:00 UTC of today's date: every zone of the mix is between 02:00 and 22:00 local. */
export function benchClockStart(now = new Date()): string {
  return `${now.toISOString().slice(0, 10)}T12:00:00Z`;
}

/**
 * What worker and mailer get: the bench's schema, prefix and sink, no throttle (SEND_RATE_PER_SECOND
 * unset is unlimited), no ingest, the scheduled plan an hour apart, then `extra` (--env K=V) last.
 */
export function serviceEnv(
  world: BenchWorld,
  smtpUrl: string,
  knobs: Knobs,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: world.databaseUrl,
    REDIS_URL: world.redisUrl,
    QUEUE_PREFIX: world.queuePrefix,
    SMTP_URL: smtpUrl,
    PUBLIC_BASE_URL: 'https://paperboy.example.org',
    POSTAL_ADDRESS: 'paperboy bench, 1 Example Street, 10115 Berlin',
    TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret',
    HOST: '127.0.0.1',
    WORKER_METRICS_PORT: '0',
    MAILER_METRICS_PORT: '0',
    PLAN_EVERY_MINUTES: '60',
    INGEST_ENABLED: 'false',
    LOAD_SAMPLE_WHEN_EMPTY: 'false',
    CLOCK_START: benchClockStart(),
    WORKER_CONCURRENCY: String(knobs.workerConcurrency),
    MAILER_CONCURRENCY: String(knobs.mailerConcurrency),
    SMTP_POOL_SIZE: String(knobs.smtpPoolSize),
    ...extra,
  };
}
