import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankByTrending, TRENDING_SCORE_SQL, type TrendingInputs, trendingScore } from '../src/index.ts';

const now = new Date('2025-09-09T06:00:00Z');
const base: TrendingInputs = {
  upvotes: 0,
  comments: 0,
  githubStars: 0,
  publishedAt: null,
  trendingDate: null,
};
const listed = (trendingDate: string, upvotes: number | null, extra: Partial<TrendingInputs> = {}) => ({
  ...base,
  upvotes,
  trendingDate,
  ...extra,
});

describe('trendingScore', () => {
  it('ranks more upvotes higher on the same day', () => {
    expect(trendingScore(listed('2025-09-08', 30), now)).toBeGreaterThan(
      trendingScore(listed('2025-09-08', 5), now),
    );
  });

  it('lets a fresh paper overtake an older one with a few more votes', () => {
    expect(trendingScore(listed('2025-09-08', 10), now)).toBeGreaterThan(
      trendingScore(listed('2025-09-05', 15), now),
    );
  });

  it('still lets a landslide from two days ago beat a lukewarm paper from yesterday', () => {
    expect(trendingScore(listed('2025-09-07', 200), now)).toBeGreaterThan(
      trendingScore(listed('2025-09-08', 10), now),
    );
  });

  it('orders unvoted papers by recency instead of scoring them all zero', () => {
    const newer = trendingScore({ ...base, upvotes: null, publishedAt: '2025-09-09T01:00:00Z' }, now);
    const older = trendingScore({ ...base, upvotes: null, publishedAt: '2025-09-07T01:00:00Z' }, now);
    expect(older).toBeGreaterThan(0);
    expect(newer).toBeGreaterThan(older);
  });

  it('uses the listing day rather than the (older) arXiv date when both are known', () => {
    const hf = listed('2025-09-08', 10, { publishedAt: '2025-06-01T00:00:00Z' });
    expect(trendingScore(hf, now)).toBe(trendingScore(listed('2025-09-08', 10), now));
  });

  it('keeps undated sample papers below a fresh voted paper', () => {
    const undated = trendingScore({ ...base, upvotes: null, comments: null, githubStars: null }, now);
    expect(undated).toBeGreaterThan(0);
    expect(undated).toBeLessThan(trendingScore(listed('2025-09-08', 3), now));
  });

  it('counts stars logarithmically so an old famous repository does not swamp votes', () => {
    const starred = trendingScore(listed('2025-09-08', 5, { githubStars: 50_000 }), now);
    expect(starred).toBeLessThan(trendingScore(listed('2025-09-08', 20), now));
    expect(starred).toBeGreaterThan(trendingScore(listed('2025-09-08', 5), now));
  });

  it('treats a date in the future as brand new, not as a bonus', () => {
    expect(trendingScore(listed('2025-09-20', 5), now)).toBe(
      trendingScore({ ...base, upvotes: 5, publishedAt: now.toISOString() }, now),
    );
  });

  it('ranks deterministically, breaking ties by id', () => {
    const papers = ['c', 'a', 'b'].map((id) => ({ id, ...base, upvotes: null }));
    expect(rankByTrending(papers, now).map((paper) => paper.id)).toEqual(['a', 'b', 'c']);
  });
});

// The SQL twin must rank exactly like the TS function; this evaluates both on the same rows.
describe('TRENDING_SCORE_SQL agrees with trendingScore', () => {
  const client = new pg.Client({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  const rows = [
    {
      id: 'hf-fresh',
      upvotes: 26,
      comments: 3,
      githubStars: 19,
      publishedAt: '2025-09-04T21:26:31Z',
      trendingDate: '2025-09-08',
    },
    {
      id: 'hf-old',
      upvotes: 120,
      comments: 40,
      githubStars: 5000,
      publishedAt: null,
      trendingDate: '2025-09-01',
    },
    {
      id: 'arxiv',
      upvotes: null,
      comments: null,
      githubStars: null,
      publishedAt: '2025-09-08T17:30:00Z',
      trendingDate: null,
    },
    { id: 'sample', upvotes: null, comments: null, githubStars: null, publishedAt: null, trendingDate: null },
    {
      id: 'future',
      upvotes: 2,
      comments: 0,
      githubStars: null,
      publishedAt: null,
      trendingDate: '2025-09-30',
    },
  ];

  it('gives the same score for every row', async () => {
    const result = await client.query<{ id: string; score: number }>(
      `SELECT id, ${TRENDING_SCORE_SQL} AS score
         FROM jsonb_to_recordset($2::jsonb)
           AS t(id text, upvotes int, comments int, github_stars int, published_at timestamptz, trending_date date)`,
      [
        now.toISOString(),
        JSON.stringify(
          rows.map(({ githubStars, publishedAt, trendingDate, ...rest }) => ({
            ...rest,
            github_stars: githubStars,
            published_at: publishedAt,
            trending_date: trendingDate,
          })),
        ),
      ],
    );
    expect(result.rows).toHaveLength(rows.length);
    for (const row of result.rows) {
      const paper = rows.find((candidate) => candidate.id === row.id)!;
      expect(row.score).toBeCloseTo(trendingScore(paper, now), 12);
    }
  });
});
