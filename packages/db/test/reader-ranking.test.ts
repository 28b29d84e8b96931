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
  recordVote,
  selectPapersForReaders,
} from '../src/index.ts';
import { textArrayLiteral } from '../src/sql-arrays.ts';
import { SELECTION_BEFORE_VOTES_SQL } from './support/selection-before-votes.sql.ts';
import { SELECTION_IN_POSTGRES_SQL } from './support/selection-in-postgres.sql.ts';

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

  interface Reader {
    id: string;
    topics: string[];
    localDate: string;
    limit: number;
    lookbackDays: number;
  }

  /**
   * Readers with 0–3 topics, limits 5–15, one of three days and one of two lookbacks; two in
   * three were sent up to 40 papers before, some older than the window.
   */
  const addReaders = async (count: number): Promise<Reader[]> => {
    const { rows: papers } = await pool.query<{ id: string }>('SELECT id FROM papers ORDER BY id');
    const readers: Reader[] = [];
    for (let index = 0; index < count; index++) {
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
        lookbackDays: random.chance(0.5) ? LOOKBACK_DAYS : 2 * LOOKBACK_DAYS,
      };
      readers.push(reader);
      if (pick(3) === 0) continue;
      const sent = new Set<string>();
      const sentCount = pick(41);
      while (sent.size < sentCount) sent.add(papers[pick(papers.length)]!.id);
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
    return readers;
  };

  /** What the worker picks now, as [id, matched topics, trending score] per reader. */
  const pickedNow = async (readers: Reader[], lookback?: number) => {
    const selections = await selectPapersForReaders(
      pool,
      {
        readers: readers.map((reader) => ({
          deliveryId: reader.id,
          subscriberId: reader.id,
          topics: reader.topics,
          localDate: reader.localDate,
          limit: reader.limit,
          lookbackDays: lookback ?? reader.lookbackDays,
        })),
        lookbackDays: LOOKBACK_DAYS,
      },
      now,
    );
    return readers.map((reader) =>
      selections.get(reader.id)!.map((paper) => [paper.id, paper.matchedTopics, paper.trendingScore]),
    );
  };

  type FrozenRow = { reader_key: string; id: string; matched_topics: string[]; trending_score: number };
  const byReader = (readers: Reader[], rows: FrozenRow[]) =>
    readers.map((reader) =>
      rows
        .filter((row) => row.reader_key === reader.id)
        .map((row) => [row.id, row.matched_topics, Number(row.trending_score)]),
    );
  const matchedCount = (picks: unknown[][][]) =>
    picks.flat().filter((paper) => (paper[1] as string[]).length > 0).length;

  it('picks exactly what the statement from before votes picked, for 120 readers with history', async () => {
    const readers = await addReaders(120);
    const frozen = await pool.query<FrozenRow>(SELECTION_BEFORE_VOTES_SQL, [
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
    const expected = byReader(readers, frozen.rows);
    const picked = await pickedNow(readers, LOOKBACK_DAYS);
    expect(picked).toEqual(expected);
    // The world is varied enough to mean something: topics matched, and history left papers out.
    expect(matchedCount(picked)).toBeGreaterThan(300);
    expect(frozen.rows.length).toBeGreaterThan(1_000);
  });

  it('picks exactly what the statement that ranked in Postgres picked, voters and lookbacks included', async () => {
    const readers = await addReaders(80);
    const { rows: papers } = await pool.query<{ id: string }>('SELECT id FROM papers ORDER BY id');
    // A third of the readers vote on 2–4 papers, "more" or "less", which moves their ranking.
    const voters = readers.filter(() => random.chance(0.33));
    for (const voter of voters) {
      const votes = 2 + pick(3);
      for (let vote = 0; vote < votes; vote++) {
        const outcome = await recordVote(pool, {
          subscriberId: voter.id,
          tokenVersion: 1,
          paperId: papers[pick(papers.length)]!.id,
          direction: random.chance(0.6) ? 'more' : 'less',
        });
        expect(outcome).toBe('recorded');
      }
    }
    const frozen = await pool.query<FrozenRow>(SELECTION_IN_POSTGRES_SQL, [
      readers.map((reader) => reader.id),
      now.toISOString(),
      readers.map((reader) => reader.id),
      readers.map((reader) => textArrayLiteral(reader.topics)),
      readers.map((reader) => reader.localDate),
      readers.map((reader) => reader.limit),
      readers.map((reader) => reader.lookbackDays),
    ]);
    const expected = byReader(readers, frozen.rows);
    const picked = await pickedNow(readers);
    expect(picked).toEqual(expected);
    // Most voters learned terms (a vote on a paper without shared terms teaches nothing).
    const { rows: learning } = await pool.query<{ n: number }>(
      'SELECT count(DISTINCT subscriber_id)::int AS n FROM reader_terms',
    );
    expect(learning[0]!.n).toBeGreaterThan(15);
    expect(matchedCount(picked)).toBeGreaterThan(150);
  });
});
