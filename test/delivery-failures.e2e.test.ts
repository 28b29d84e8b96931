import { emailHash } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation, isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

async function activeReader(stack: Stack, email: string): Promise<string> {
  const { rows } = await stack.api.deps.pool.query<{ id: string }>(
    `INSERT INTO subscribers (email, email_hash, status) VALUES ($1, $2, 'active') RETURNING id`,
    [email, emailHash(email)],
  );
  return rows[0]!.id;
}

async function deliveryOf(stack: Stack, subscriberId: string) {
  const { rows } = await stack.api.deps.pool.query<{
    status: string;
    last_error: string | null;
    send_attempts: number;
  }>('SELECT status, last_error, send_attempts FROM deliveries WHERE subscriber_id = $1', [subscriberId]);
  return rows[0];
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
}

describe('failed sends are retried or recorded, never dropped', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('failures', {
      env: { SEND_ATTEMPTS: '3', SEND_BACKOFF_MS: '200', CLOCK_START: '2026-11-30T12:00:00Z' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('retries a temporary rejection (4xx) and then delivers', async () => {
    const id = await activeReader(stack, 'greylisted@example.org');
    stack.sink.rejectNext(1, 451, 'greylisted@example.org');
    await stack.plan(new Date('2026-11-30T12:00:00Z'), true);
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes('greylisted@example.org'));
    const delivery = await until(
      () => deliveryOf(stack, id),
      (row) => row?.status === 'sent',
    );
    expect(delivery).toMatchObject({ status: 'sent', last_error: null, send_attempts: 2 });
  });

  it('records a permanent rejection (5xx) as failed and never mails the address again', async () => {
    const id = await activeReader(stack, 'no-such-user@example.org');
    stack.sink.rejectNext(1, 550, 'no-such-user@example.org');
    await stack.plan(new Date('2026-12-01T12:00:00Z'), true);
    const delivery = await until(
      () => deliveryOf(stack, id),
      (row) => row?.status === 'failed',
    );
    expect(delivery?.status).toBe('failed');
    expect(delivery?.last_error).toMatch(/550/);
    const { rows } = await stack.api.deps.pool.query(
      'SELECT reason FROM suppressions WHERE email_hash = $1',
      [emailHash('no-such-user@example.org')],
    );
    expect(rows).toEqual([{ reason: 'hard-bounce' }]);

    // Signing the bounced address up again sends it nothing; another new reader still gets mail.
    for (const email of ['no-such-user@example.org', 'fresh@example.org']) {
      const signup = await fetch(`${stack.api.address}/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(signup.status).toBe(202);
    }
    await stack.sink.waitFor((mail) => isConfirmation(mail) && mail.envelopeTo.includes('fresh@example.org'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      stack.sink.messages.filter((mail) => mail.envelopeTo.includes('no-such-user@example.org')),
    ).toEqual([]);
    expect(await stack.plan(new Date('2026-12-02T12:00:00Z'), true)).toMatchObject({ planned: 1 }); // the other reader only
  });

  it('re-queues deliveries whose jobs were lost, from the Postgres ledger', async () => {
    const id = await activeReader(stack, 'lost-job@example.org');
    // A delivery planned long ago whose compose job vanished with Redis.
    await stack.api.deps.pool.query(
      `INSERT INTO deliveries (subscriber_id, local_date, updated_at) VALUES ($1, current_date, now() - interval '1 hour')`,
      [id],
    );
    await stack.plan(new Date(), false);
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes('lost-job@example.org'));
    expect(
      (
        await until(
          () => deliveryOf(stack, id),
          (row) => row?.status === 'sent',
        )
      )?.status,
    ).toBe('sent');
  });
});
