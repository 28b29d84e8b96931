import { emailHash } from '@paperboy/db';
import { TEST_REDIS_URL } from '@paperboy/testing';
import { composeDigests, requeueLostDeliveries } from '@paperboy/worker';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const TODAY = '2026-11-30';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
}

describe('the ledger heals on its own', () => {
  let stack: Stack;
  let readerCount = 0;

  beforeAll(async () => {
    stack = await startStack('self_healing', {
      env: { CLOCK_START: `${TODAY}T12:00:00Z`, SCHEDULER_CHECK_SECONDS: '1', SEND_BACKOFF_MS: '200' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const pool = () => stack.api.deps.pool;
  const worker = () => stack.workers[0]!.deps;

  /** Readers with a delivery for today written straight to the ledger: no job carries it. */
  async function unqueuedDeliveries(count: number): Promise<{ ids: string[]; emails: string[] }> {
    const emails = Array.from({ length: count }, () => `healing${++readerCount}@example.org`);
    const { rows } = await pool().query<{ id: string }>(
      `WITH readers AS (
         INSERT INTO subscribers (email, email_hash, status)
         SELECT email, hash, 'active' FROM unnest($1::text[], $2::text[]) AS t(email, hash)
         RETURNING id
       )
       INSERT INTO deliveries (subscriber_id, local_date) SELECT id, $3 FROM readers RETURNING id`,
      [emails, emails.map(emailHash), TODAY],
    );
    return { ids: rows.map((row) => row.id), emails };
  }

  const digestsTo = (emails: string[]) =>
    stack.sink.messages.filter(
      (mail) => isDigest(mail) && emails.some((email) => mail.envelopeTo.includes(email)),
    );

  it('pages through every unfinished delivery, whatever their number, and gives each its job back', async () => {
    const { emails } = await unqueuedDeliveries(7);
    // Pages of two: recovery must go past the first page (no cap), to the last.
    expect(await requeueLostDeliveries(worker(), 2)).toBe(7);
    await stack.sink.waitFor(
      (mail) => isDigest(mail) && emails.some((email) => mail.envelopeTo.includes(email)),
      7,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(digestsTo(emails)).toHaveLength(7);
    // Nothing left to heal: a second pass queues nothing.
    expect(await requeueLostDeliveries(worker(), 2)).toBe(0);
  });

  it('re-queues a delivery even when a finished job still holds its id', async () => {
    const { ids, emails } = await unqueuedDeliveries(1);
    await composeDigests(worker(), ids);
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes(emails[0]!));
    // The send job is the batch's, named on the row.
    const jobId = (await pool().query('SELECT send_job FROM deliveries WHERE id = $1', [ids[0]])).rows[0]
      ?.send_job as string;
    expect(jobId).toMatch(/^sendb-/);
    expect(
      await until(
        () => worker().queues.email.getJobState(jobId),
        (state) => state === 'completed',
      ),
    ).toBe('completed');
    // The ledger says unfinished (as after a lost write) while Redis keeps the completed job.
    await pool().query(`UPDATE deliveries SET status = 'composed' WHERE id = $1`, [ids[0]]);
    expect(await requeueLostDeliveries(worker())).toBe(1);
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes(emails[0]!), 2);
    expect(
      await until(
        async () =>
          (await pool().query('SELECT status FROM deliveries WHERE id = $1', [ids[0]])).rows[0]?.status,
        (status) => status === 'sent',
      ),
    ).toBe('sent');
  });

  it('re-creates the plan scheduler after Redis lost everything, and the next plan delivers what was waiting', async () => {
    const { emails } = await unqueuedDeliveries(3);
    // Everything this stack keeps in Redis goes (its own key prefix only: the Redis is shared).
    const redis = new Redis(TEST_REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.config.queuePrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    // (The watchdog may already have put it back by now: the metric below shows it did.)
    expect(
      await until(
        () => worker().queues.digest.getJobScheduler('plan-due-digests'),
        (scheduler) => scheduler !== undefined,
      ),
    ).toBeDefined();
    await stack.sink.waitFor(
      (mail) => isDigest(mail) && emails.some((email) => mail.envelopeTo.includes(email)),
      3,
      45_000,
    );
    const recreated = await worker().metrics.registry.getSingleMetricAsString(
      'paperboy_job_schedulers_recreated_total',
    );
    expect(recreated).toMatch(/scheduler="plan-due-digests"\} [1-9]/);
  });
});
