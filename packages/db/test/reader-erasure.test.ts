import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  emailHash,
  eraseSubscriber,
  migrate,
  type Pool,
  planDueDeliveries,
} from '../src/index.ts';
import { holdReaderRowsForPlanning } from '../src/reader-rows-lock.ts';

const NOW = new Date('2026-12-02T12:00:00Z');

/*
 * Deliveries and delivery_papers keep no foreign key to subscribers (migration 083): erasing a
 * reader deletes them itself, and must not miss a row a plan was writing at that moment.
 */
describe('erasing a reader', () => {
  let schema: TestSchema;
  let pool: Pool;

  beforeAll(async () => {
    schema = await createTestSchema('reader_erasure');
    pool = createPool(schema.url, 4);
    await migrate(pool);
    await pool.query(`INSERT INTO papers (id, title) VALUES ('2401.00001', 'One'), ('2401.00002', 'Two')`);
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  async function reader(email: string): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, status) VALUES ($1, $2, 'active') RETURNING id`,
      [email, emailHash(email)],
    );
    return rows[0]!.id;
  }

  async function rowsOf(id: string): Promise<{ deliveries: number; papers: number }> {
    const { rows } = await pool.query<{ deliveries: number; papers: number }>(
      `SELECT (SELECT count(*)::int FROM deliveries WHERE subscriber_id = $1) AS deliveries,
              (SELECT count(*)::int FROM delivery_papers WHERE subscriber_id = $1) AS papers`,
      [id],
    );
    return rows[0]!;
  }

  it("deletes the reader's deliveries and paper history, and no one else's", async () => {
    const erased = await reader('erased@example.org');
    const kept = await reader('kept@example.org');
    const planned = await planDueDeliveries(pool, NOW, { ignoreSendHour: true });
    expect(planned).toHaveLength(2);
    await pool.query(
      `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position)
       SELECT d.id, d.subscriber_id, p.id, 1 FROM deliveries d CROSS JOIN papers p`,
    );
    expect(await rowsOf(erased)).toEqual({ deliveries: 1, papers: 2 });

    expect(await eraseSubscriber(pool, erased, 1)).toBe(true);
    expect(await rowsOf(erased)).toEqual({ deliveries: 0, papers: 0 });
    expect(await rowsOf(kept)).toEqual({ deliveries: 1, papers: 2 });
  });

  it('waits for a plan chunk in flight, then deletes the delivery it wrote', async () => {
    const id = await reader('mid-plan@example.org');
    // A plan chunk that read the reader before the erasure and inserts while it runs.
    const plan = await pool.connect();
    try {
      await plan.query('BEGIN');
      await holdReaderRowsForPlanning(plan);
      await plan.query(`INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, '2026-12-02')`, [id]);
      let done = false;
      const erasing = eraseSubscriber(pool, id, 1).then((result) => {
        done = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      await plan.query('COMMIT');
      expect(await erasing).toBe(true);
    } finally {
      plan.release();
    }
    expect(await rowsOf(id)).toEqual({ deliveries: 0, papers: 0 });
    // The next plan no longer sees the reader.
    await planDueDeliveries(pool, new Date('2026-12-03T12:00:00Z'), { ignoreSendHour: true });
    expect(await rowsOf(id)).toEqual({ deliveries: 0, papers: 0 });
  });
});
