import { readFileSync } from 'node:fs';
import { loadConfig } from '@paperboy/config';
import { importPapersJsonl, upsertPapers } from '@paperboy/db';
import { parseHfDailyPapers, previousUtcDate } from '@paperboy/papers';
import {
  createTestQueuePrefix,
  createTestSchema,
  hfWireItem,
  TEST_REDIS_URL,
  type TestSchema,
} from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../src/index.ts';

const sample = readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8');
const MAXSUP = 'MaxSup: Overcoming Representation Collapse in Label Smoothing';

interface ListedPaper {
  id: string;
  title: string;
  upvotes: number | null;
  trendingDate: string | null;
  trendingScore: number;
  topicRank: number | null;
}
interface Page {
  date: string | null;
  q: string | null;
  limit: number;
  papers: ListedPaper[];
}

describe('GET /v1/papers', () => {
  let schema: TestSchema;
  const queuePrefix = createTestQueuePrefix('papers-api');
  let api: Awaited<ReturnType<typeof startApi>>;
  // Yesterday's Hugging Face list, so these papers are the freshest in the store.
  const day = previousUtcDate(new Date());

  const get = async (query: string) => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/papers${query}` });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    schema = await createTestSchema('papers_api');
    api = await startApi(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: schema.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: queuePrefix.prefix,
        PORT: '0',
      }),
    );
    await importPapersJsonl(api.deps.pool, sample);
    const hfDay = parseHfDailyPapers(
      [
        hfWireItem('2509.40001', { upvotes: 50, title: 'Real-Time Video Super-Resolution on a Phone' }),
        hfWireItem('2509.40002', { upvotes: 99, withdrawn: true }),
        hfWireItem('2509.40003', { upvotes: 5 }),
        hfWireItem('2509.40004', { upvotes: 0 }),
      ],
      day,
    );
    await upsertPapers(api.deps.pool, hfDay.papers);
  });
  afterAll(async () => {
    await api?.close();
    await queuePrefix.remove();
    await schema?.drop();
  });

  it('lists the store best first, every paper with its trending score', async () => {
    const { status, body } = await get('?limit=5');
    expect(status).toBe(200);
    const page = body as Page;
    expect(page).toMatchObject({ date: null, q: null, limit: 5 });
    expect(page.papers).toHaveLength(5);
    const scores = page.papers.map((paper) => paper.trendingScore);
    expect(scores.every((score) => typeof score === 'number' && score > 0)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(page.papers.every((paper) => paper.topicRank === null)).toBe(true);
    expect(page.papers.slice(0, 3).map((paper) => paper.id)).toEqual([
      '2509.40001',
      '2509.40003',
      '2509.40004',
    ]);
  });

  it('filters by trending day and leaves withdrawn papers out', async () => {
    const { status, body } = await get(`?date=${day}`);
    expect(status).toBe(200);
    expect((body as Page).papers.map((paper) => [paper.id, paper.trendingDate, paper.upvotes])).toEqual([
      ['2509.40001', day, 50],
      ['2509.40003', day, 5],
      ['2509.40004', day, 0],
    ]);
  });

  it('ranks by topic match when q is given, the way a reader with that topic gets them', async () => {
    const { body } = await get(`?q=${encodeURIComponent('label smoothing')}&limit=10`);
    const papers = (body as Page).papers;
    expect(papers.map((paper) => paper.title)).toEqual([
      MAXSUP,
      'Understanding Why Label Smoothing Degrades Selective Classification and How to Fix It',
    ]);
    expect(papers.every((paper) => typeof paper.topicRank === 'number' && paper.topicRank > 0)).toBe(true);

    const combined = await get(`?q=super-resolution&date=${day}`);
    expect((combined.body as Page).papers.map((paper) => paper.id)).toEqual(['2509.40001']);
    expect((await get('?q=super-resolution&limit=100')).body.papers).toHaveLength(28);
  });

  it.each([
    ['?limit=0', /querystring.limit must be >= 1/],
    ['?limit=101', /querystring.limit must be <= 100/],
    ['?limit=ten', /querystring.limit must be integer/],
    ['?date=2025-02-30', /querystring.date "2025-02-30" is not a calendar day/],
    ['?date=08-09-2025', /querystring.date must match pattern/],
    ['?q=%20%20', /querystring.q must not be blank/],
    ['?sort=upvotes', /querystring has an unknown field "sort"/],
  ])('answers %s with 400 and a JSON error saying what is wrong', async (query, message) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'bad_request', message: expect.stringMatching(message) });
  });
});
