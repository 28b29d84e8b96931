import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { Logger } from '@paperboy/runtime';
import type { EditionCache } from './edition-cache.ts';
import type { MailerMetrics } from './metrics.ts';
import type { MailTransport } from './transport.ts';

export interface MailerDeps {
  config: Readonly<Config>;
  pool: Pool;
  transport: MailTransport;
  editions: EditionCache;
  logger: Logger;
  metrics: MailerMetrics;
}
