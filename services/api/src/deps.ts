import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { PaperboyQueues, Redis } from '@paperboy/queue';
import type { Registry } from 'prom-client';
import type { SnsFetch } from './routes/webhooks-sns.ts';

export interface ApiDeps {
  config: Readonly<Config>;
  pool: Pool;
  redis: Redis;
  queues: PaperboyQueues;
  metrics: Registry;
  /** Fetches SNS signing certificates and subscription URLs; unset = https from Amazon (tests serve their own). */
  snsFetch?: SnsFetch;
}
