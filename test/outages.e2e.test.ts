import { randomBytes } from 'node:crypto';
import { connectionConfig, emailHash } from '@paperboy/db';
import { TEST_DATABASE_URL } from '@paperboy/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
}

describe('a lost database connection is weather, not death', () => {
  let stack: Stack;
  // Only this file's connections carry this name, so terminating them touches nobody else's tests.
  const applicationName = `paperboy_outage_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    stack = await startStack('outages', { applicationName, env: { CLOCK_START: '2026-11-30T12:00:00Z' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function terminateOurBackends(): Promise<number> {
    const admin = new pg.Client(connectionConfig(TEST_DATABASE_URL));
    await admin.connect();
    try {
      const { rows } = await admin.query<{ count: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity WHERE application_name = $1`,
        [applicationName],
      );
      return rows[0]!.count;
    } finally {
      await admin.end();
    }
  }

  it('keeps worker, mailer and api running when the database ends their connections, and sends afterwards', async () => {
    // Warm every pool so each holds idle connections that the database then ends
    // ("terminating connection due to administrator command").
    await stack.plan(new Date('2026-11-30T12:00:00Z'), true);
    expect(await terminateOurBackends()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const readiness = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
    expect(
      await until(
        () => readiness(stack.workers[0]!.opsServer.port),
        (status) => status === 200,
      ),
    ).toBe(200);
    expect(
      await until(
        () => readiness(stack.mailer!.opsServer.port),
        (status) => status === 200,
      ),
    ).toBe(200);

    const email = 'after-outage@example.org';
    await stack.api.deps.pool.query(
      `INSERT INTO subscribers (email, email_hash, status) VALUES ($1, $2, 'active')`,
      [email, emailHash(email)],
    );
    await stack.plan(new Date('2026-11-30T12:00:00Z'), true);
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes(email));
    expect(
      await until(
        async () =>
          (
            await stack.api.deps.pool.query(
              `SELECT d.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = $1`,
              [email],
            )
          ).rows[0]?.status,
        (status) => status === 'sent',
      ),
    ).toBe('sent');
  });
});
