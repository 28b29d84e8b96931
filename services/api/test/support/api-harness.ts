import { type Config, loadConfig } from '@paperboy/config';
import type { Pool, Subscriber, SubscriberStatus } from '@paperboy/db';
import { findSubscriber } from '@paperboy/db';
import { signToken, type TokenPurpose } from '@paperboy/links';
import { createTestQueuePrefix, createTestSchema, TEST_REDIS_URL } from '@paperboy/testing';
import type { ApiDeps } from '../../src/deps.ts';
import type { App } from '../../src/index.ts';
import { startApi } from '../../src/index.ts';

export const TOKEN_SECRET = 'api-test-secret-api-test-secret-api-test';
export const ADMIN_TOKEN = 'admin-test-token-0123456789abcdef';

export interface TestApi {
  config: Readonly<Config>;
  app: App;
  /** What the app was built with: pool, queues, config, metrics. */
  deps: ApiDeps;
  pool: Pool;
  /** The ops server's port: /healthz, /readyz, /metrics. */
  opsPort: number;
  /** Jobs of one name on the email queue, in any state: what the mailer would pick up. */
  emailJobs(name: string): Promise<{ name: string; data: Record<string, unknown> }[]>;
  /** Every confirmation asked for, as the subscriber id it names, once per asking (single or group jobs). */
  confirmationsQueued(): Promise<string[]>;
  /** Inserts a reader directly, in any state, the way the product would have left them. */
  seed(email: string, status?: SubscriberStatus, overrides?: Partial<SeedFields>): Promise<Subscriber>;
  /** A token as a mail would carry it; `expiresAt` in unix seconds, 0 = never. */
  token(
    subscriber: Pick<Subscriber, 'id' | 'tokenVersion'>,
    purpose: TokenPurpose,
    expiresAt?: number,
  ): string;
  close(): Promise<void>;
}

interface SeedFields {
  topics: string[];
  timezone: string;
  sendHour: number;
  paperCount: number;
}

/** The api alone (no worker, no mailer) on its own schema, queue prefix and rate-limit keys. */
export async function startTestApi(
  label: string,
  env: Record<string, string> = {},
  options: Pick<ApiDeps, 'snsFetch'> = {},
): Promise<TestApi> {
  const schema = await createTestSchema(label);
  const prefix = createTestQueuePrefix(label);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: schema.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix.prefix,
    PUBLIC_BASE_URL: 'https://paperboy.test',
    PORT: '0',
    API_METRICS_PORT: '0',
    TOKEN_SECRET,
    ADMIN_TOKEN,
    ...env,
  });
  const api = await startApi(config, undefined, options);
  const pool = api.deps.pool;
  const emailJobs = async (name: string) => {
    const jobs = await api.deps.queues.email.getJobs(['waiting', 'delayed', 'completed', 'failed', 'active']);
    return jobs.filter((job) => job.name === name);
  };
  return {
    config,
    app: api.app,
    deps: api.deps,
    pool,
    opsPort: api.opsServer.port,
    emailJobs,
    async confirmationsQueued() {
      const single = await emailJobs('send-confirmation');
      const groups = await emailJobs('send-confirmations');
      return [
        ...single.map((job) => job.data.subscriberId as string),
        ...groups.flatMap((job) => job.data.subscriberIds as string[]),
      ];
    },
    async seed(email, status = 'active', overrides = {}) {
      const fields = { topics: [], timezone: 'UTC', sendHour: 8, paperCount: 10, ...overrides };
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO subscribers (email, email_hash, status, topics, timezone, send_hour, paper_count,
           confirmed_at, unsubscribed_at)
         VALUES ($1, encode(sha256(convert_to(lower($1), 'UTF8')), 'hex'), $2, $3, $4, $5, $6,
           CASE WHEN $2 <> 'pending' THEN now() END, CASE WHEN $2 = 'unsubscribed' THEN now() END)
         RETURNING id`,
        [email, status, fields.topics, fields.timezone, fields.sendHour, fields.paperCount],
      );
      return (await findSubscriber(pool, rows[0]!.id))!;
    },
    token(subscriber, purpose, expiresAt = 0) {
      return signToken(TOKEN_SECRET, {
        purpose,
        subscriberId: subscriber.id,
        version: subscriber.tokenVersion,
        expiresAt,
      });
    },
    async close() {
      await api.close();
      await prefix.remove();
      await schema.drop();
    },
  };
}

/** The subscribers table, whole, in a stable order: compare two of these to see that nothing changed. */
export async function snapshotSubscribers(pool: Pool): Promise<string> {
  const { rows } = await pool.query('SELECT * FROM subscribers ORDER BY id');
  return JSON.stringify(rows);
}
