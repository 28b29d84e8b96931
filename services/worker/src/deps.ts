import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { PaperboyQueues, Redis } from '@paperboy/queue';
import type { Clock, Logger } from '@paperboy/runtime';
import type { WorkerMetrics } from './metrics.ts';

/** What every worker handler may use; tests build it from real Postgres and Redis. */
export interface WorkerDeps {
  config: Readonly<Config>;
  pool: Pool;
  /**
   * A few connections of their own for storing editions, each write committed on its own outside
   * the compose transaction that needed it (compose.handler.ts). Separate from `pool`, so a
   * compose holding a connection of `pool` never waits for another one of `pool`.
   */
  editionPool: Pool;
  queues: PaperboyQueues;
  /** The queues' own connection, for pipelined job lookups during recovery. */
  redis: Redis;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Planning, expiry and recovery read "now" here (CLOCK_START in tests and drills). */
  clock: Clock;
}
