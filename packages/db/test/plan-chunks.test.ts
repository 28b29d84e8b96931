import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, emailHash, migrate, type Pool, planDueDeliveriesInChunks } from '../src/index.ts';

const READERS = 600;

describe('planning in chunks', () => {
  let schema: TestSchema;
  let pool: Pool;

  beforeAll(async () => {
    schema = await createTestSchema('plan_chunks');
    pool = createPool(schema.url, 2);
    await migrate(pool);
    // Enough readers for several pages of the table: a chunk is a run of pages.
    const emails = Array.from({ length: READERS }, (_, index) => `chunk${index}@example.org`);
    await pool.query(
      `INSERT INTO subscribers (email, email_hash, status)
       SELECT email, hash, 'active' FROM unnest($1::text[], $2::text[]) AS t(email, hash)`,
      [emails, emails.map(emailHash)],
    );
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it('gives every compose batch of every chunk its own job id, recorded on exactly its rows', async () => {
    const chunks: { deliveryIds: string[]; composeBatches: { jobId: string; deliveryIds: string[] }[] }[] =
      [];
    const created = await planDueDeliveriesInChunks(
      pool,
      new Date('2026-12-02T12:00:00Z'),
      { ignoreSendHour: true, chunkSize: 100, composeBatches: { size: 4, jobIdPrefix: 'compose-test' } },
      async (chunk) => {
        chunks.push(chunk);
      },
    );
    expect(created).toBe(READERS);
    expect(chunks.length).toBeGreaterThan(2);
    expect(new Set(chunks.flatMap((chunk) => chunk.deliveryIds)).size).toBe(READERS);
    const batches = chunks.flatMap((chunk) => chunk.composeBatches);
    // Batch numbers restart in each chunk; the job ids must not.
    expect(new Set(batches.map((batch) => batch.jobId)).size).toBe(batches.length);
    expect(batches.flatMap((batch) => batch.deliveryIds).sort()).toEqual(
      chunks.flatMap((chunk) => chunk.deliveryIds).sort(),
    );
    const { rows } = await pool.query<{ compose_job: string; n: number }>(
      'SELECT compose_job, count(*)::int AS n FROM deliveries GROUP BY compose_job',
    );
    expect(Object.fromEntries(rows.map((row) => [row.compose_job, row.n]))).toEqual(
      Object.fromEntries(batches.map((batch) => [batch.jobId, batch.deliveryIds.length])),
    );
  });

  it('makes delivery ids in time order (UUID version 7), so inserts go to the end of each index', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO deliveries (subscriber_id, local_date)
       SELECT id, DATE '2026-12-03' FROM subscribers ORDER BY id LIMIT 2 RETURNING id`,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { rows: later } = await pool.query<{ id: string }>(
      `INSERT INTO deliveries (subscriber_id, local_date)
       SELECT id, DATE '2026-12-04' FROM subscribers ORDER BY id LIMIT 1 RETURNING id`,
    );
    const ids = [...rows, ...later].map((row) => row.id);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[2]! > ids[0]! && ids[2]! > ids[1]!).toBe(true);
  });

  it('hands chunks over one at a time, in order, and fails the plan when a hand-over fails', async () => {
    await pool.query('DELETE FROM deliveries');
    const events: string[] = [];
    let chunkNumber = 0;
    const created = await planDueDeliveriesInChunks(
      pool,
      new Date('2026-12-05T12:00:00Z'),
      { ignoreSendHour: true, chunkSize: 100 },
      async () => {
        const number = chunkNumber++;
        events.push(`start ${number}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`end ${number}`);
      },
    );
    expect(created).toBe(READERS);
    expect(events).toEqual(
      Array.from({ length: chunkNumber }, (_, number) => [`start ${number}`, `end ${number}`]).flat(),
    );

    await pool.query('DELETE FROM deliveries');
    await expect(
      planDueDeliveriesInChunks(
        pool,
        new Date('2026-12-06T12:00:00Z'),
        { ignoreSendHour: true, chunkSize: 100 },
        async () => {
          throw new Error('Redis is gone');
        },
      ),
    ).rejects.toThrow('Redis is gone');
  });

  it('plans a reader whose row lands on a page already read while the plan runs', async () => {
    await pool.query('DELETE FROM deliveries');
    // Room on every page, so an update stays on its page (a plain VACUUM may keep dead rows while
    // another session's snapshot is open anywhere on the server; a rewrite does not depend on it).
    await pool.query('ALTER TABLE subscribers SET (fillfactor = 50)');
    await pool.query('VACUUM FULL subscribers');
    // A reader on that page who is not yet confirmed when the plan reads it.
    const { rows: late } = await pool.query<{ id: string }>(
      `UPDATE subscribers SET status = 'pending'
       WHERE id = (SELECT id FROM subscribers WHERE ctid < '(1,0)'::tid ORDER BY ctid DESC LIMIT 1)
       RETURNING id`,
    );
    const lateId = late[0]!.id;
    let chunkNumber = 0;
    let confirmedOnPage = -1;
    const planned: string[] = [];
    const created = await planDueDeliveriesInChunks(
      pool,
      new Date('2026-12-07T12:00:00Z'),
      { ignoreSendHour: true, chunkSize: 60 },
      async (chunk) => {
        planned.push(...chunk.deliveryIds);
        if (chunkNumber++ !== 0) return;
        // Chunk 0 has read page 0; the reader confirms now, and the row stays on page 0.
        const { rows } = await pool.query<{ page: string }>(
          `UPDATE subscribers SET status = 'active' WHERE id = $1
           RETURNING (ctid::text::point)[0]::int::text AS page`,
          [lateId],
        );
        confirmedOnPage = Number(rows[0]!.page);
      },
    );
    expect(confirmedOnPage).toBe(0);
    // Several page chunks, so chunk 0's hand-over was over before the last pass began.
    expect(chunkNumber).toBeGreaterThanOrEqual(3);
    const { rows } = await pool.query(
      "SELECT 1 FROM deliveries WHERE subscriber_id = $1 AND local_date = '2026-12-07'",
      [lateId],
    );
    expect(rows).toHaveLength(1);
    const { rows: count } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM subscribers WHERE status = 'active'",
    );
    expect(created).toBe(count[0]!.n);
    expect(new Set(planned).size).toBe(created);
  });
});
