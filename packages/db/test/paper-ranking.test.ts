import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { utcDate } from '@paperboy/papers';
import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  emailHash,
  importPapersJsonl,
  inTransaction,
  listPapers,
  migrate,
  type Pool,
  recordSelections,
  type SelectedPaper,
  selectPapersForReader,
} from '../src/index.ts';

const sample = readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8');
const DAY_MS = 24 * 3_600_000;
const SUPER_RESOLUTION = /super[- ]?resolution/i;
const MAXSUP = 'MaxSup: Overcoming Representation Collapse in Label Smoothing';
const WHY_LS_DEGRADES =
  'Understanding Why Label Smoothing Degrades Selective Classification and How to Fix It';
// The sample has no votes; three papers get some, so the general trending order is not just ids.
const VOTED = [
  { title: 'Masked Autoencoders Are Scalable Vision Learners', upvotes: 120 },
  { title: 'The Super Weight in Large Language Models', upvotes: 45 },
  { title: 'Just How Flexible are Neural Networks in Practice?', upvotes: 7 },
];

describe('ranking the bundled sample for readers', () => {
  let schema: TestSchema;
  let pool: Pool;
  const now = new Date();
  const today = utcDate(now);

  const addReader = async (topics: string[], paperCount = 10) => {
    const email = `${randomUUID()}@example.org`;
    const result = await pool.query<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, status, topics, paper_count)
       VALUES ($1, $2, 'active', $3, $4) RETURNING id`,
      [email, emailHash(email), topics, paperCount],
    );
    return { id: result.rows[0]!.id, topics, paperCount };
  };
  type Reader = Awaited<ReturnType<typeof addReader>>;

  /** What the worker's compose does for a reader's day: pick, then record, in one transaction. */
  const compose = (reader: Reader, dayOffset: number) =>
    inTransaction(pool, async (client) => {
      const localDate = utcDate(new Date(now.getTime() + dayOffset * DAY_MS));
      const delivery = await client.query<{ id: string }>(
        'INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, $2) RETURNING id',
        [reader.id, localDate],
      );
      const papers = await selectPapersForReader(
        client,
        {
          subscriberId: reader.id,
          topics: reader.topics,
          localDate,
          lookbackDays: 7,
          limit: reader.paperCount,
        },
        new Date(now.getTime() + dayOffset * DAY_MS),
      );
      await recordSelections(client, [{ deliveryId: delivery.rows[0]!.id, subscriberId: reader.id, papers }]);
      return papers;
    });

  const pick = (topics: string[], limit: number) =>
    selectPapersForReader(
      pool,
      { subscriberId: randomUUID(), topics, localDate: today, lookbackDays: 7, limit },
      now,
    );
  const titles = (papers: SelectedPaper[]) => papers.map((paper) => paper.title);

  beforeAll(async () => {
    schema = await createTestSchema('ranking');
    pool = createPool(schema.url, 3);
    await migrate(pool);
    expect((await importPapersJsonl(pool, sample)).inserted).toBe(209);
    for (const { title, upvotes } of VOTED) {
      const updated = await pool.query(
        `UPDATE papers SET upvotes = $2, trending_date = $3::date - 1 WHERE title = $1`,
        [title, upvotes, today],
      );
      expect(updated.rowCount).toBe(1);
    }
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it('gives a "super-resolution" reader the super-resolution papers first, title matches before mentions', async () => {
    const papers = await pick(['super-resolution'], 25);
    expect(papers).toHaveLength(25);
    for (const paper of papers) {
      expect(`${paper.title} ${paper.abstract}`).toMatch(SUPER_RESOLUTION);
      expect(paper.matchedTopics).toEqual(['super-resolution']);
    }
    // 24 sample titles name the topic, spelt "Super-Resolution", "Super Resolution" or "Super-resolutional".
    expect(papers.slice(0, 24).every((paper) => SUPER_RESOLUTION.test(paper.title))).toBe(true);
    expect(papers[24]!.title).not.toMatch(SUPER_RESOLUTION);
  });

  it('gives a "label smoothing" reader MaxSup first, then fills up with the general trending order', async () => {
    const papers = await pick(['label smoothing'], 5);
    expect(titles(papers)).toEqual([MAXSUP, WHY_LS_DEGRADES, ...VOTED.map((paper) => paper.title)]);
    expect(papers.map((paper) => paper.matchedTopics)).toEqual([
      ['label smoothing'],
      ['label smoothing'],
      [],
      [],
      [],
    ]);
  });

  it('gives a reader without topics the general order: trending score, then votes, then id', async () => {
    const papers = await pick([], 10);
    expect(titles(papers).slice(0, 3)).toEqual(VOTED.map((paper) => paper.title));
    const general = await listPapers(pool, { date: null, q: null, limit: 10, now });
    expect(papers.map((paper) => paper.id)).toEqual(general.map((paper) => paper.id));
    const scores = papers.map((paper) => paper.trendingScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('orders a one-topic reader’s matches exactly as GET /v1/papers?q= lists them', async () => {
    // The listing orders in SQL (paper-ranking.sql.ts), the digest in the worker (reader-ranking.ts).
    for (const topic of ['super-resolution', 'label smoothing', 'diffusion', 'language models', 'vision']) {
      const listed = await listPapers(pool, { date: null, q: topic, limit: 60, now });
      const matched = (await pick([topic], 60)).filter((paper) => paper.matchedTopics.length > 0);
      expect(listed.length, topic).toBeGreaterThan(1);
      expect(matched.map((paper) => paper.id)).toEqual(listed.map((paper) => paper.id));
    }
  });

  it('lets a reader’s topics take turns, so one prolific topic does not crowd out another', async () => {
    const superResolutionFirst = (await pick(['super-resolution'], 2)).map((paper) => paper.title);
    const papers = await pick(['super-resolution', 'label smoothing'], 4);
    expect(titles(papers)).toEqual([
      MAXSUP,
      superResolutionFirst[0],
      WHY_LS_DEGRADES,
      superResolutionFirst[1],
    ]);
  });

  it('matches a multi-word topic as a phrase, and understands quotes and -word', async () => {
    const apart = await pool.query<{ id: string }>(
      `INSERT INTO papers (id, title, abstract, sources) VALUES ('t-apart', 'Smoothing Noisy Labels',
         'We smooth each label with its neighbours; smoothing helps when a label is wrong.', '{jsonl}') RETURNING id`,
    );
    try {
      const matched = (await pick(['label smoothing'], 5)).filter((paper) => paper.matchedTopics.length > 0);
      expect(titles(matched)).toEqual([MAXSUP, WHY_LS_DEGRADES]);
      const webSearch = (await pick(['"label smoothing" -maxsup'], 3)).filter(
        (paper) => paper.matchedTopics.length > 0,
      );
      expect(titles(webSearch)).toEqual([WHY_LS_DEGRADES]);
    } finally {
      await pool.query('DELETE FROM papers WHERE id = $1', [apart.rows[0]!.id]);
    }
  });

  it('leaves out what a reader was sent, with older history below the window in the same index range', async () => {
    const reader = await addReader([], 5);
    const [first] = await pick([], 1);
    // A paper from long ago, with an id below every paper of the window, and one of the window's.
    await pool.query(
      `INSERT INTO papers (id, title, first_seen_at) VALUES ('0704.00001', 'Long ago', now() - interval '90 days')`,
    );
    const delivery = await pool.query<{ id: string }>(
      `INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, $2::date - 90) RETURNING id`,
      [reader.id, today],
    );
    await pool.query(
      `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position)
       VALUES ($1, $2, '0704.00001', 1), ($1, $2, $3, 2)`,
      [delivery.rows[0]!.id, reader.id, first!.id],
    );
    const papers = await selectPapersForReader(
      pool,
      { subscriberId: reader.id, topics: [], localDate: today, lookbackDays: 7, limit: 5 },
      now,
    );
    expect(papers).toHaveLength(5);
    expect(papers.map((paper) => paper.id)).not.toContain(first!.id);
    await pool.query(`DELETE FROM delivery_papers WHERE delivery_id = $1`, [delivery.rows[0]!.id]);
    await pool.query(`DELETE FROM papers WHERE id = '0704.00001'`);
  });

  it('never gives anyone a paper twice across three days of digests', async () => {
    const readers = [
      await addReader(['super-resolution']),
      await addReader(['label smoothing']),
      await addReader([]),
      await addReader(['label smoothing', 'super-resolution', 'diffusion']),
    ];
    const days: SelectedPaper[][][] = [];
    for (const dayOffset of [0, 1, 2])
      days.push(await Promise.all(readers.map((reader) => compose(reader, dayOffset))));

    for (const index of readers.keys()) {
      const received = days.flatMap((day) => day[index]!.map((paper) => paper.id));
      expect(received).toHaveLength(30);
      expect(new Set(received).size).toBe(30);
    }
    const stored = await pool.query<{ subscriber_id: string; n: number; distinct_papers: number }>(
      `SELECT subscriber_id, count(*) AS n, count(DISTINCT paper_id) AS distinct_papers
       FROM delivery_papers GROUP BY subscriber_id`,
    );
    expect(stored.rows).toHaveLength(4);
    for (const row of stored.rows) expect(row).toMatchObject({ n: 30, distinct_papers: 30 });

    // 27 papers mention super-resolution: two full days of them, then 7 more and 3 general ones.
    const superResolutionDays = days.map(
      (day) => day[0]!.filter((paper) => paper.matchedTopics.length > 0).length,
    );
    expect(superResolutionDays).toEqual([10, 10, 7]);
    // The database refuses a repeat even if a selection bug let one through.
    const [reader] = readers;
    const sentBefore = days[0]![0]![0]!;
    const forced = inTransaction(pool, async (client) => {
      const delivery = await client.query<{ id: string }>(
        `INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, $2::date + 10) RETURNING id`,
        [reader!.id, today],
      );
      await recordSelections(client, [
        { deliveryId: delivery.rows[0]!.id, subscriberId: reader!.id, papers: [sentBefore] },
      ]);
    });
    await expect(forced).rejects.toMatchObject({ code: '23505' });
  });
});
