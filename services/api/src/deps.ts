import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { PaperboyQueues, Redis } from '@paperboy/queue';
import type { Registry } from 'prom-client';
import type { SnsFetch } from './routes/webhooks-sns.ts';

export interface ApiDeps {
  config: Readonly<Config>;
  pool: Pool;
  redis: Redis;
  /**
   * The rate-limit counters' own connection. They batch their calls themselves (one script call
   * per turn), so it needs no auto-pipelining; on the shared connection each turn's auto-pipeline
   * copied every script BullMQ defines there, which cost more than the counting.
   */
  rateLimitRedis: Redis;
  queues: PaperboyQueues;
  metrics: Registry;
  /** Fetches SNS signing certificates and subscription URLs; unset = https from Amazon (tests serve their own). */
  snsFetch?: SnsFetch;
}
