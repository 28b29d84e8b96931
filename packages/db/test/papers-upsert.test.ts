import { readFileSync } from 'node:fs';
import { parseArxivAtom, parseHfDailyPapers } from '@paperboy/papers';
import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPool,
  listPapers,
  migrate,
  type Pool,
  rawBySource,
  selectPapersForReader,
  upsertPapers,
} from '../src/index.ts';

const fixtures = new URL('../../papers/test/fixtures/', import.meta.url);
const hfWire = readFileSync(new URL('hf-daily-papers-traps.json', fixtures), 'utf8');
const arxivWire = readFileSync(new URL('arxiv-two-entries.xml', fixtures), 'utf8');
const DAY = '2025-09-08';
const HALLUCINATE = '2509.04664';
const WITHDRAWN = '2509.01111';

/** The Hugging Face day as the wire sends it, optionally edited the way a later fetch would differ. */
function hfDay(
  edit: (items: { paper: Record<string, unknown>; numComments?: unknown }[]) => void = () => {},
) {
  const items = JSON.parse(hfWire);
  edit(items);
  return parseHfDailyPapers(items, DAY).papers;
}

/** arXiv's record of the same paper: the fixture's entry carries HALLUCINATE's id here. */
function arxivListing() {
  return parseArxivAtom(arxivWire.replaceAll('2509.04660', HALLUCINATE)).papers;
}

interface Row {
  id: string;
  title: string;
  upvotes: number | null;
  comments: number | null;
  sources: string[];
  categories: string[];
  links: Record<string, string>;
  ai_summary: string | null;
  withdrawn: boolean;
  raw: Record<string, unknown>;
}

describe('upserting papers', () => {
  let schema: TestSchema;
  let pool: Pool;
  const row = async (id: string) =>
    (await pool.query<Row>('SELECT * FROM papers WHERE id = $1', [id])).rows[0];
  const count = async () => (await pool.query<{ n: number }>('SELECT count(*) AS n FROM papers')).rows[0]!.n;

  beforeAll(async () => {
    schema = await createTestSchema('upsert');
    pool = createPool(schema.url, 2);
    await migrate(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE papers CASCADE');
  });

  it('ingests the same day twice without duplicating: the second run inserts nothing and changes nothing', async () => {
    expect(await upsertPapers(pool, hfDay())).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    expect(await upsertPapers(pool, hfDay())).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    expect(await count()).toBe(4);
  });

  it('updates the counts of the papers whose upvotes moved, and only those', async () => {
    await upsertPapers(pool, hfDay());
    const later = hfDay((items) => {
      const item = items.find((entry) => entry.paper.id === HALLUCINATE)!;
      item.paper.upvotes = 40;
      item.numComments = 5;
    });
    expect(await upsertPapers(pool, later)).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
    expect(await row(HALLUCINATE)).toMatchObject({ upvotes: 40, comments: 5 });
    expect(await count()).toBe(4);
  });

  it('keeps one row for a paper from Hugging Face and arXiv, with both sources and both raw records', async () => {
    await upsertPapers(pool, hfDay());
    expect(await upsertPapers(pool, arxivListing())).toEqual({ inserted: 1, updated: 1, unchanged: 0 });

    const merged = (await row(HALLUCINATE))!;
    expect(merged.sources).toEqual(['arxiv', 'huggingface']);
    expect(Object.keys(merged.raw).sort()).toEqual(['arxiv', 'huggingface']);
    expect(JSON.stringify(merged.raw.arxiv)).toContain(`http://arxiv.org/abs/${HALLUCINATE}v2`);
    expect(merged.raw.huggingface).toMatchObject({ paper: { id: HALLUCINATE, upvotes: 26 } });
    // arXiv adds what only it knows and takes nothing Hugging Face told us away.
    expect(merged).toMatchObject({
      title: 'Why Language Models Hallucinate',
      upvotes: 26,
      comments: 3,
      ai_summary: 'Language models hallucinate because training rewards guessing.',
      categories: ['cs.AI', 'cs.CL', 'cs.LG'],
      links: { code: 'https://github.com/openai/hallucination-evals' },
    });
    expect(await count()).toBe(5);

    // Neither source's daily run overwrites the other's wording back and forth.
    expect(await upsertPapers(pool, arxivListing())).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await upsertPapers(pool, hfDay())).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
  });

  it('merges the same way when arXiv saw the paper first', async () => {
    await upsertPapers(pool, arxivListing());
    expect((await row(HALLUCINATE))?.title).toMatch(/^Why Language Models Hallucinate: Guessing/);
    expect(await upsertPapers(pool, hfDay())).toEqual({ inserted: 3, updated: 1, unchanged: 0 });
    expect(await row(HALLUCINATE)).toMatchObject({
      title: 'Why Language Models Hallucinate',
      upvotes: 26,
      sources: ['arxiv', 'huggingface'],
      categories: ['cs.AI', 'cs.CL', 'cs.LG'],
    });
    expect(await count()).toBe(5);
  });

  it('never mails a withdrawn paper, even one matching the reader’s topic, and keeps it withdrawn', async () => {
    await upsertPapers(pool, hfDay());
    const withdrawnTitle = (await row(WITHDRAWN))!.title;
    const selected = await selectPapersForReader(
      pool,
      {
        subscriberId: '00000000-0000-4000-8000-000000000001',
        topics: [withdrawnTitle],
        localDate: '2025-09-09',
        lookbackDays: 7,
        limit: 10,
      },
      new Date('2025-09-09T06:00:00Z'),
    );
    expect(selected.map((paper) => paper.id).sort()).toEqual(['2509.03333', HALLUCINATE, '2509.05209']);
    expect(selected.every((paper) => paper.matchedTopics.length === 0)).toBe(true);
    const listed = await listPapers(pool, {
      date: DAY,
      q: null,
      limit: 100,
      now: new Date('2025-09-09T06:00:00Z'),
    });
    expect(listed.map((paper) => paper.id)).not.toContain(WITHDRAWN);

    // A later record without the withdrawal (a stale mirror, an old export) does not revive it.
    const revived = hfDay((items) => {
      delete items.find((entry) => entry.paper.id === WITHDRAWN)!.paper.withdrawnAt;
    });
    await upsertPapers(pool, revived);
    expect((await row(WITHDRAWN))?.withdrawn).toBe(true);
  });
});

describe('rawBySource', () => {
  it('keys an adapter record by its one source', () => {
    expect(rawBySource({ sources: ['huggingface'], raw: { paper: {} } })).toEqual({
      huggingface: { paper: {} },
    });
  });

  it('does not nest an exported row whose raw is already keyed by its sources', () => {
    const raw = { huggingface: { paper: {} }, arxiv: { id: 'x' } };
    expect(rawBySource({ sources: ['arxiv', 'huggingface'], raw })).toBe(raw);
  });

  it('stores nothing for a record without raw', () => {
    expect(rawBySource({ sources: ['jsonl'], raw: null })).toEqual({});
  });
});
