import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool } from '@paperboy/db';
import {
  createTestQueuePrefix,
  createTestSchema,
  type FakeSources,
  hfWireItem,
  startFakeSources,
  TEST_REDIS_URL,
  type TestSchema,
} from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaperboySession, spawnPaperboy, startPaperboySession } from './support/cli.ts';

const SUMMARY = /^inserted (\d+), updated (\d+), unchanged (\d+), skipped (\d+)$/m;

function summaryOf(output: string) {
  const match = SUMMARY.exec(output);
  if (!match) throw new Error(`no summary line in:\n${output}`);
  const [inserted, updated, unchanged, skipped] = match.slice(1).map(Number);
  return { inserted, updated, unchanged, skipped };
}

describe('paperboy papers (the CLI, run as a person runs it)', () => {
  let schema: TestSchema;
  let pool: Pool;
  let sources: FakeSources;
  let scratch: string;
  const queuePrefix = createTestQueuePrefix('cli');

  let session: PaperboySession;
  const env = () => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: schema.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix.prefix,
    HF_API_URL: sources.baseUrl,
    INGEST_FETCH_RETRIES: '0',
  });
  // One CLI session for most commands (a cold start is about a second of CPU); the first import and
  // the failing ingest run as their own process, as a person runs them, exit code and all.
  const paperboy = (...args: string[]) => session.run(...args);
  const count = async (where = 'true', params: unknown[] = []) =>
    (await pool.query<{ n: number }>(`SELECT count(*) AS n FROM papers WHERE ${where}`, params)).rows[0]!.n;
  const latestRun = async () =>
    (
      await pool.query<{
        inserted: number;
        updated: number;
        unchanged: number;
        skipped: number;
        status: string;
      }>(
        'SELECT inserted, updated, unchanged, skipped, status FROM ingest_runs ORDER BY started_at DESC LIMIT 1',
      )
    ).rows[0];

  beforeAll(async () => {
    schema = await createTestSchema('cli');
    pool = createPool(schema.url, 2);
    sources = await startFakeSources();
    scratch = await mkdtemp(join(tmpdir(), 'paperboy-cli-'));
    session = startPaperboySession(env());
  });
  afterAll(async () => {
    await session?.close();
    await pool?.end();
    await sources?.close();
    await rm(scratch, { recursive: true, force: true });
    await queuePrefix.remove();
    await schema?.drop();
  });

  it('imports the bundled sample and prints a summary that matches the database; a second run inserts 0', async () => {
    const first = await spawnPaperboy(env(), 'papers', 'import', 'data/trending-papers-sample.jsonl');
    expect(first.code).toBe(0);
    expect(summaryOf(first.stdout)).toEqual({ inserted: 209, updated: 0, unchanged: 0, skipped: 0 });
    expect(await count()).toBe(209);
    expect(await latestRun()).toEqual({
      inserted: 209,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      status: 'succeeded',
    });
    // Not a terminal: progress comes as plain lines on stderr, never carriage returns.
    expect(first.stderr).toContain('stored 209 of 209 · fetched 209, inserted 209, updated 0, skipped 0\n');
    expect(first.stderr).not.toContain('\r');

    const second = await paperboy('papers', 'import', 'data/trending-papers-sample.jsonl');
    expect(summaryOf(second.stdout)).toEqual({ inserted: 0, updated: 0, unchanged: 209, skipped: 0 });
    expect(await count()).toBe(209);
  });

  it('names every skipped line and its reason, and stores the good ones', async () => {
    const file = join(scratch, 'mixed.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ title: 'A Paper Only This File Has', abstract: 'First.' }),
        '{"title": "cut off',
        JSON.stringify({ abstract: 'No title at all.' }),
        JSON.stringify({ title: 'Another Paper Only This File Has', abstract: 'Second.' }),
        JSON.stringify({ title: 'A Paper Only This File Has', abstract: 'Again.' }),
      ].join('\n'),
    );
    const ran = await paperboy('papers', 'import', file);
    expect(ran.code).toBe(0);
    expect(summaryOf(ran.stdout)).toEqual({ inserted: 2, updated: 0, unchanged: 0, skipped: 3 });
    expect(ran.stdout).toMatch(/^ {2}skipped line 2: not valid JSON: .+$/m);
    expect(ran.stdout).toContain('  skipped line 3: title is missing\n');
    expect(ran.stdout).toMatch(/^ {2}skipped line 5: duplicate of line 1 \(id t-[0-9a-f]{16}\)$/m);
    expect(await count()).toBe(211);
  });

  it('ingests a Hugging Face day with --source hf --date, withdrawn papers marked, bad items named', async () => {
    sources.setDay('2025-09-08', [
      hfWireItem('2509.20001', { upvotes: 12 }),
      hfWireItem('2509.20002', { upvotes: 3, withdrawn: true }),
      { numComments: 2, title: 'An item without its paper object' },
      hfWireItem('2509.20003'),
    ]);
    const ran = await paperboy('papers', 'ingest', '--source', 'hf', '--date', '2025-09-08');
    expect(ran.code).toBe(0);
    expect(summaryOf(ran.stdout)).toEqual({ inserted: 3, updated: 0, unchanged: 0, skipped: 1 });
    expect(ran.stdout).toContain('  skipped item 2: item has no "paper" object\n');
    expect(ran.stdout).toContain('withdrawn 1 (stored and marked, so they are never mailed)');
    expect(await count('trending_date = $1', ['2025-09-08'])).toBe(3);
    expect(await count('withdrawn')).toBe(1);
  });

  it('exits 1 when the source fails, after storing and reporting what arrived before', async () => {
    sources.setDay(
      '2025-09-09',
      Array.from({ length: 150 }, (_, index) => hfWireItem(`2509.3${1000 + index}`)),
    );
    sources.failFromPage(1, 503);
    try {
      const ran = await spawnPaperboy(env(), 'papers', 'ingest', '--source', 'hf', '--date', '2025-09-09');
      expect(ran.code).toBe(1);
      expect(summaryOf(ran.stdout)).toEqual({ inserted: 100, updated: 0, unchanged: 0, skipped: 0 });
      expect(ran.stdout).toMatch(/^failed: GET .*p=1 answered 503.* \(temporary: try again later\)$/m);
      expect(await count('trending_date = $1', ['2025-09-09'])).toBe(100);
      expect(await latestRun()).toMatchObject({ inserted: 100, status: 'failed' });
    } finally {
      sources.failFromPage(null);
    }
  });

  it('shows operators the latest runs, newest first, with the error of a failed one', async () => {
    const ran = await paperboy('papers', 'runs', '--limit', '3');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^started \(UTC\)\s+source\s+trigger\s+target\s+status\s+fetched/);
    expect(lines[1]).toMatch(/huggingface\s+cli\s+2025-09-09\s+failed\s+100\s+100\s+0\s+0\s+0$/);
    expect(lines[2]).toMatch(/^ {4}error: GET .* answered 503/);
    expect(lines[3]).toMatch(/huggingface\s+cli\s+2025-09-08\s+succeeded\s+4\s+3\s+0\s+0\s+1$/);
  });
});
