import { emailHash } from '@paperboy/db';
import { composeJobs, enqueueBulk } from '@paperboy/queue';
import { composeDigests } from '@paperboy/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const READERS = 30;

describe('compose batches that run twice', () => {
  let stack: Stack;
  let deliveryIds: string[];

  beforeAll(async () => {
    // The process clock on the earlier day, so yesterday's waiting digest is still due (a digest
    // whose local day has passed is recorded expired, not sent late).
    stack = await startStack('compose_batches', { env: { CLOCK_START: '2026-11-29T12:00:00Z' } });
    const pool = stack.api.deps.pool;
    const emails = Array.from({ length: READERS }, (_, index) => `batch${index}@example.org`);
    // Their hour (23:00) has not come at the clock's 12:00, so the plan the worker runs at start,
    // whenever it lands, leaves these readers to the test's own deliveries.
    await pool.query(
      `INSERT INTO subscribers (email, email_hash, status, topics, send_hour)
       SELECT email, hash, 'active', CASE WHEN n % 2 = 0 THEN '{diffusion}'::text[] ELSE '{}' END, 23
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(email, hash, n)`,
      [emails, emails.map(emailHash)],
    );
    // Deliveries written straight to the ledger, so no plan has queued them; one reader also has
    // yesterday's digest still waiting, in the same batch as today's.
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO deliveries (subscriber_id, local_date)
       SELECT id, date '2026-11-30' FROM subscribers
       UNION ALL
       SELECT id, date '2026-11-29' FROM subscribers WHERE email = 'batch0@example.org'
       RETURNING id`,
    );
    deliveryIds = rows.map((row) => row.id);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('mails each digest once and never picks a paper twice when a batch is duplicated and retried', async () => {
    const deps = stack.workers[0]!.deps;
    const [first, second] = await Promise.all([
      composeDigests(deps, deliveryIds),
      composeDigests(deps, deliveryIds),
    ]);
    expect(first!.composed + second!.composed).toBe(READERS + 1);
    const retried = await composeDigests(deps, deliveryIds);
    expect(retried.composed).toBe(0);
    // And the same batch queued twice more, as a duplicated plan would.
    await enqueueBulk(deps.queues, [...composeJobs(deliveryIds), ...composeJobs(deliveryIds)]);

    await stack.sink.waitFor(isDigest, READERS + 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // give a duplicate, if any, time to arrive
    const recipients = stack.sink.messages.filter(isDigest).flatMap((mail) => mail.envelopeTo);
    expect(recipients.length).toBe(READERS + 1);
    expect(new Set(recipients).size).toBe(READERS);
    expect(recipients.filter((address) => address === 'batch0@example.org')).toHaveLength(2);

    const pool = stack.api.deps.pool;
    const selections = await pool.query<{ deliveries: number; picks: number; distinct_picks: number }>(
      `SELECT count(DISTINCT delivery_id)::int AS deliveries, count(*)::int AS picks,
              count(DISTINCT (subscriber_id, paper_id))::int AS distinct_picks
       FROM delivery_papers`,
    );
    expect(selections.rows[0]).toEqual({
      deliveries: READERS + 1,
      picks: (READERS + 1) * 10,
      distinct_picks: (READERS + 1) * 10,
    });
    const statuses = await pool.query(
      'SELECT status, count(*)::int AS count FROM deliveries GROUP BY status',
    );
    expect(statuses.rows).toEqual([{ status: 'sent', count: READERS + 1 }]);
  });
});
