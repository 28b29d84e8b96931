import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { PaperboyQueues, Redis } from '@paperboy/queue';
import type { Clock, Logger } from '@paperboy/runtime';
import type { WorkerMetrics } from './metrics.ts';

/** What every worker handler may use; tests build it from real Postgres and Redis. */
export interface WorkerDeps {
  config: Readonly<Config>;
  pool: Pool;
  queues: PaperboyQueues;
  /** The queues' own connection, for pipelined job lookups during recovery. */
  redis: Redis;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Planning, expiry and recovery read "now" here (CLOCK_START in tests and drills). */
  clock: Clock;
}
