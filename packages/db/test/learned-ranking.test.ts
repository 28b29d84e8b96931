import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { utcDate } from '@paperboy/papers';
import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  emailHash,
  findLearning,
  importPapersJsonl,
  inTransaction,
  listVotes,
  migrate,
  type Pool,
  recordSelections,
  recordVote,
  resetLearning,
  type SelectedPaper,
  selectPapersForReaders,
  type VoteDirection,
} from '../src/index.ts';
import { SELECTION_BEFORE_VOTES_SQL } from './support/selection-before-votes.sql.ts';

const sample = readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8');
const DAY_MS = 24 * 3_600_000;
const DIFFUSION = /diffusion/i;
const SUPER_RESOLUTION = /super[- ]?resolution/i;

describe('digests that learn from "more like this" and "less like this"', () => {
  let schema: TestSchema;
  let pool: Pool;
  const now = new Date();
  const today = utcDate(now);
  const tomorrow = new Date(now.getTime() + DAY_MS);

  const addReader = async (topics: string[] = []) => {
    const email = `${randomUUID()}@example.org`;
    const result = await pool.query<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, status, topics) VALUES ($1, $2, 'active', $3) RETURNING id`,
      [email, emailHash(email), topics],
    );
    return { id: result.rows[0]!.id, topics };
  };
  type Reader = Awaited<ReturnType<typeof addReader>>;

  const papersWhere = async (pattern: RegExp, count: number) => {
    const { rows } = await pool.query<{ id: string; title: string; abstract: string }>(
      'SELECT id, title, abstract FROM papers ORDER BY id',
    );
    return rows.filter((paper) => pattern.test(`${paper.title} ${paper.abstract}`)).slice(0, count);
  };

  /** Today's digest as given: these papers were sent, so they never come again. */
  const deliver = (reader: Reader, paperIds: string[]) =>
    inTransaction(pool, async (client) => {
      const delivery = await client.query<{ id: string }>(
        'INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, $2) RETURNING id',
        [reader.id, today],
      );
      await recordSelections(client, [
        {
          deliveryId: delivery.rows[0]!.id,
          subscriberId: reader.id,
          papers: paperIds.map((id) => ({ id, matchedTopics: [] })),
        },
      ]);
    });

  const vote = async (reader: Reader, paperIds: string[], direction: VoteDirection) => {
    for (const paperId of paperIds)
      expect(await recordVote(pool, { subscriberId: reader.id, tokenVersion: 1, paperId, direction })).toBe(
        'recorded',
      );
  };

  /** Tomorrow's digests of several readers, picked in one batch as compose picks them. */
  const tomorrowsDigests = async (readers: Reader[], limit = 10) => {
    const selections = await selectPapersForReaders(
      pool,
      {
        readers: readers.map((reader) => ({
          deliveryId: reader.id,
          subscriberId: reader.id,
          topics: reader.topics,
          localDate: utcDate(tomorrow),
          limit,
        })),
        lookbackDays: 7,
      },
      tomorrow,
    );
    return readers.map((reader) => selections.get(reader.id)!);
  };
  const count = (papers: SelectedPaper[], pattern: RegExp) =>
    papers.filter((paper) => pattern.test(`${paper.title} ${paper.abstract}`)).length;

  beforeAll(async () => {
    schema = await createTestSchema('learning');
    pool = createPool(schema.url, 3);
    await migrate(pool);
    expect((await importPapersJsonl(pool, sample)).inserted).toBe(209);
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it('ranks a reader without votes exactly as the statement from before votes, even beside a voter', async () => {
    const voter = await addReader([]);
    const diffusion = await papersWhere(DIFFUSION, 3);
    await vote(
      voter,
      diffusion.map((paper) => paper.id),
      'more',
    );
    const topicSets = [
      [],
      ['diffusion'],
      ['super-resolution', 'label smoothing'],
      ['language models', 'agents'],
    ];
    const readers = await Promise.all(topicSets.map((topics) => addReader(topics)));
    const rowsBefore = await pool.query(SELECTION_BEFORE_VOTES_SQL, [
      JSON.stringify(
        readers.map((reader) => ({
          reader_key: reader.id,
          subscriber_id: reader.id,
          topics: reader.topics,
          local_date: utcDate(tomorrow),
          paper_limit: 25,
        })),
      ),
      7,
      tomorrow.toISOString(),
    ]);
    const [now0, ...withVoter] = [
      await tomorrowsDigests(readers, 25),
      await tomorrowsDigests([voter, ...readers], 25),
    ];
    const before = readers.map((reader) =>
      rowsBefore.rows
        .filter((row) => row.reader_key === reader.id)
        .map((row) => [row.id, row.matched_topics, Number(row.trending_score)]),
    );
    const shape = (digests: SelectedPaper[][]) =>
      digests.map((papers) => papers.map((paper) => [paper.id, paper.matchedTopics, paper.trendingScore]));
    expect(before.every((papers) => papers.length === 25)).toBe(true);
    expect(JSON.stringify(shape(now0))).toBe(JSON.stringify(before));
    expect(JSON.stringify(shape(withVoter[0]!.slice(1)))).toBe(JSON.stringify(before));
  });

  it('gives a reader who marked three diffusion papers "more" more diffusion papers the next day', async () => {
    const [voter, twin] = [await addReader(), await addReader()];
    const diffusion = (await papersWhere(DIFFUSION, 3)).map((paper) => paper.id);
    await deliver(voter, diffusion);
    await deliver(twin, diffusion);
    await vote(voter, diffusion, 'more');

    const [voterDigest, twinDigest] = await tomorrowsDigests([voter, twin]);
    const withVotes = count(voterDigest!, DIFFUSION);
    const without = count(twinDigest!, DIFFUSION);
    expect(withVotes).toBeGreaterThan(without);
    expect(withVotes).toBeGreaterThanOrEqual(3);
    // Never a paper twice, votes or not.
    expect(voterDigest!.some((paper) => diffusion.includes(paper.id))).toBe(false);

    const learned = await findLearning(pool, voter.id);
    expect(learned.votes).toEqual({ more: 3, less: 0 });
    expect(learned.more.map((term) => term.label)).toContain('diffusion');
    expect(learned.less).toEqual([]);
  });

  it('pushes a subject down for a reader who marked three of its papers "less"', async () => {
    // Super-resolution papers get a vote each, so without learning they fill a topicless digest.
    await pool.query(
      `UPDATE papers SET upvotes = 1 WHERE title ~* 'super[- ]?resolution' OR abstract ~* 'super[- ]?resolution'`,
    );
    const [voter, twin] = [await addReader(), await addReader()];
    const superResolution = (await papersWhere(SUPER_RESOLUTION, 3)).map((paper) => paper.id);
    await deliver(voter, superResolution);
    await deliver(twin, superResolution);
    await vote(voter, superResolution, 'less');

    const [voterDigest, twinDigest] = await tomorrowsDigests([voter, twin]);
    expect(count(twinDigest!, SUPER_RESOLUTION)).toBe(10);
    expect(count(voterDigest!, SUPER_RESOLUTION)).toBeLessThan(count(twinDigest!, SUPER_RESOLUTION));
    const learned = await findLearning(pool, voter.id);
    expect(learned.less.map((term) => term.label)).toEqual(expect.arrayContaining(['resolution']));
  });

  it('keeps one vote per reader and paper, the latest direction winning, and forgets all on reset', async () => {
    const [reader, twin] = [await addReader(), await addReader()];
    const [paper] = (await papersWhere(DIFFUSION, 1)).map((row) => row.id);
    await vote(reader, [paper!, paper!], 'more');
    expect((await listVotes(pool, reader.id)).map((row) => row.direction)).toEqual(['more']);
    await vote(reader, [paper!], 'less');
    expect((await listVotes(pool, reader.id)).map((row) => row.direction)).toEqual(['less']);
    expect((await findLearning(pool, reader.id)).votes).toEqual({ more: 0, less: 1 });

    expect(await resetLearning(pool, reader.id, 1)).toBe(true);
    expect(await findLearning(pool, reader.id)).toEqual({ votes: { more: 0, less: 0 }, more: [], less: [] });
    const [afterReset, twinDigest] = await tomorrowsDigests([reader, twin]);
    expect(afterReset!.map((row) => row.id)).toEqual(twinDigest!.map((row) => row.id));
  });

  it('records nothing for a revoked link or an unknown paper', async () => {
    const reader = await addReader();
    const [paper] = (await papersWhere(DIFFUSION, 1)).map((row) => row.id);
    await pool.query('UPDATE subscribers SET token_version = 2 WHERE id = $1', [reader.id]);
    expect(
      await recordVote(pool, {
        subscriberId: reader.id,
        tokenVersion: 1,
        paperId: paper!,
        direction: 'more',
      }),
    ).toBe('unknown-reader');
    expect(
      await recordVote(pool, {
        subscriberId: reader.id,
        tokenVersion: 2,
        paperId: 'no-such-paper',
        direction: 'more',
      }),
    ).toBe('unknown-paper');
    expect(await listVotes(pool, reader.id)).toEqual([]);
  });
});
