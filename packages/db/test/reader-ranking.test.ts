import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { utcDate } from '@paperboy/papers';
import { createTestSchema, seededRandom, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  emailHash,
  importPapersJsonl,
  inTransaction,
  migrate,
  type Pool,
  recordSelections,
  selectPapersForReaders,
} from '../src/index.ts';
import { SELECTION_BEFORE_VOTES_SQL } from './support/selection-before-votes.sql.ts';

/*
 * The ranking moved from Postgres into the worker (reader-ranking.ts). Here it meets the
 * statement that ranked in Postgres before votes existed, frozen in test support, on many
 * readers at once: mixed topics (one to three, some matching nothing), limits, days, and history
 * that must never come back. Papers get votes, comments and dates from a seeded generator, so
 * trending scores differ and tie, and the tie-breaks are exercised.
 */
const sample = readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8');
const DAY_MS = 24 * 3_600_000;
const LOOKBACK_DAYS = 7;
const TOPICS = [
  'language models',
  'diffusion',
  'vision',
  'transformer',
  'benchmark',
  'video',
  'image generation',
  'attention',
  'segmentation',
  'graph',
  'alignment',
  'knowledge distillation',
  'super-resolution',
  '"label smoothing"',
  'reinforcement -human',
  'no paper says this',
];

describe('ranking readers in the worker', () => {
  let schema: TestSchema;
  let pool: Pool;
  const random = seededRandom(20261202);
  const pick = random.int;
  const now = new Date();
  const day = (offset: number) => utcDate(new Date(now.getTime() + offset * DAY_MS));

  beforeAll(async () => {
    schema = await createTestSchema('reader_ranking');
    pool = createPool(schema.url, 3);
    await migrate(pool);
    expect((await importPapersJsonl(pool, sample)).inserted).toBe(209);
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM papers ORDER BY id');
    for (const { id } of rows) {
      // A third keep no votes and no date (they tie on score); the rest spread over ten days.
      if (random.chance(0.33)) continue;
      await pool.query(
        'UPDATE papers SET upvotes = $2, comments = $3, trending_date = $4::date WHERE id = $1',
        [id, pick(4) === 0 ? 0 : pick(60), pick(8), day(-pick(10))],
      );
    }
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it('picks exactly what the statement that ranked in Postgres picked, for 120 readers with history', async () => {
    const { rows: papers } = await pool.query<{ id: string }>('SELECT id FROM papers ORDER BY id');
    const readers = [];
    for (let index = 0; index < 120; index++) {
      const topics = new Set<string>();
      const wanted = pick(4);
      while (topics.size < wanted) topics.add(TOPICS[pick(TOPICS.length)]!);
      const email = `${randomUUID()}@example.org`;
      const inserted = await pool.query<{ id: string }>(
        `INSERT INTO subscribers (email, email_hash, status, topics) VALUES ($1, $2, 'active', $3) RETURNING id`,
        [email, emailHash(email), [...topics]],
      );
      const reader = {
        id: inserted.rows[0]!.id,
        topics: [...topics],
        localDate: day(pick(3)),
        limit: 5 + pick(11),
      };
      readers.push(reader);
      // Two readers in three were sent up to 40 papers before, some older than the window.
      if (pick(3) === 0) continue;
      const sent = new Set<string>();
      const count = pick(41);
      while (sent.size < count) sent.add(papers[pick(papers.length)]!.id);
      await inTransaction(pool, async (client) => {
        const delivery = await client.query<{ id: string }>(
          'INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, $2) RETURNING id',
          [reader.id, day(-1)],
        );
        await recordSelections(client, [
          {
            deliveryId: delivery.rows[0]!.id,
            subscriberId: reader.id,
            papers: [...sent].map((id) => ({ id, matchedTopics: [] })),
          },
        ]);
      });
    }

    const frozen = await pool.query<{
      reader_key: string;
      id: string;
      matched_topics: string[];
      trending_score: number;
    }>(SELECTION_BEFORE_VOTES_SQL, [
      JSON.stringify(
        readers.map((reader) => ({
          reader_key: reader.id,
          subscriber_id: reader.id,
          topics: reader.topics,
          local_date: reader.localDate,
          paper_limit: reader.limit,
        })),
      ),
      LOOKBACK_DAYS,
      now.toISOString(),
    ]);
    const selections = await selectPapersForReaders(
      pool,
      {
        readers: readers.map((reader) => ({
          deliveryId: reader.id,
          subscriberId: reader.id,
          topics: reader.topics,
          localDate: reader.localDate,
          limit: reader.limit,
        })),
        lookbackDays: LOOKBACK_DAYS,
      },
      now,
    );

    let matched = 0;
    for (const reader of readers) {
      const expected = frozen.rows
        .filter((row) => row.reader_key === reader.id)
        .map((row) => [row.id, row.matched_topics, Number(row.trending_score)]);
      const picked = selections.get(reader.id)!;
      matched += picked.filter((paper) => paper.matchedTopics.length > 0).length;
      expect(picked.map((paper) => [paper.id, paper.matchedTopics, paper.trendingScore])).toEqual(expected);
    }
    // The world is varied enough to mean something: topics matched, and history left papers out.
    expect(matched).toBeGreaterThan(300);
    expect(frozen.rows.length).toBeGreaterThan(1_000);
  });
});
