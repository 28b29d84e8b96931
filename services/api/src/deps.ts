import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { PaperboyQueues, Redis } from '@paperboy/queue';
import type { Registry } from 'prom-client';

export interface ApiDeps {
  config: Readonly<Config>;
  pool: Pool;
  redis: Redis;
  queues: PaperboyQueues;
  metrics: Registry;
}
