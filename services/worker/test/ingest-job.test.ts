import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '@paperboy/config';
import { listIngestRuns } from '@paperboy/db';
import { previousUtcDate } from '@paperboy/papers';
import { createRedisConnection, enqueue, type JobData, Queues } from '@paperboy/queue';
import {
  createTestQueuePrefix,
  createTestSchema,
  type FakeSources,
  hfWireItem,
  startFakeSources,
  TEST_REDIS_URL,
  type TestSchema,
} from '@paperboy/testing';
import { QueueEvents } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../src/index.ts';
import type { IngestJobResult } from '../src/ingest.processor.ts';
import { syncIngestSchedules } from '../src/ingest-schedule.ts';

const arxivFeed = readFileSync(
  new URL('../../../packages/papers/test/fixtures/arxiv-two-entries.xml', import.meta.url),
  'utf8',
);
const DAY = '2025-09-08';
const OUTAGE_DAY = '2025-09-09';
const dayOfPapers = (prefix: string, count: number, upvotes = (index: number) => 200 - index) =>
  Array.from({ length: count }, (_, index) =>
    hfWireItem(`${prefix}${String(10000 + index)}`, { upvotes: upvotes(index), withdrawn: index === 7 }),
  );

describe('the worker’s ingest jobs', () => {
  let schema: TestSchema;
  const queuePrefix = createTestQueuePrefix('ingest');
  let sources: FakeSources;
  let config: Readonly<Config>;
  let worker: RunningWorker;
  let events: QueueEvents;
  const logLines: Record<string, unknown>[] = [];
  let jobCount = 0;

  const runJob = async <N extends 'ingest-hf' | 'ingest-arxiv'>(
    name: N,
    data: JobData<N>,
    options: { attempts?: number } = {},
  ) => {
    jobCount += 1;
    const jobId = `test-${name}-${jobCount}`;
    await enqueue(worker.deps.queues, { name, data, jobId, options });
    const job = await worker.deps.queues.ingest.getJob(jobId);
    return { jobId, finished: job!.waitUntilFinished(events, 30_000) as Promise<IngestJobResult> };
  };
  const papersOn = async (day: string) =>
    (
      await worker.deps.pool.query<{ n: number }>(
        'SELECT count(*) AS n FROM papers WHERE trending_date = $1',
        [day],
      )
    ).rows[0]!.n;

  beforeAll(async () => {
    schema = await createTestSchema('ingest');
    sources = await startFakeSources();
    config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: schema.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix.prefix,
      WORKER_METRICS_PORT: '0',
      LOAD_SAMPLE_WHEN_EMPTY: 'false',
      HF_API_URL: sources.baseUrl,
      ARXIV_API_URL: sources.baseUrl,
      ARXIV_CATEGORIES: 'cs.CL,cs.LG',
      INGEST_ENABLED: 'true',
      INGEST_SOURCES: 'hf,arxiv',
      // New Year's night only: the schedules must exist, not fire during the test.
      INGEST_HF_CRON: '0 0 1 1 *',
      INGEST_REFRESH_CRON: '5 0 1 1 *',
      INGEST_ARXIV_CRON: '10 0 1 1 *',
      INGEST_FETCH_RETRIES: '1',
    });
    // The worker's own pino logger, captured, to check what an operator reads.
    const capture = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    worker = await startWorker(config, pino({ level: 'info', base: { service: 'worker' } }, capture));
    events = new QueueEvents(Queues.ingest, {
      connection: createRedisConnection(config.redisUrl),
      prefix: config.queuePrefix,
    });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events?.close();
    await worker?.close();
    await sources?.close();
    await queuePrefix.remove();
    await schema?.drop();
  });

  it('stores a two-page Hugging Face day and records the run', async () => {
    sources.setDay(DAY, dayOfPapers('2509.', 105));
    const { jobId, finished } = await runJob('ingest-hf', { date: DAY, reason: 'manual' });
    expect(await finished).toMatchObject({
      inserted: 105,
      updated: 0,
      unchanged: 0,
      withdrawn: 1,
      skipped: 0,
    });
    expect(sources.requests).toEqual([
      `/api/daily_papers?date=${DAY}&limit=100&p=0`,
      `/api/daily_papers?date=${DAY}&limit=100&p=1`,
    ]);
    expect(await papersOn(DAY)).toBe(105);
    const [run] = await listIngestRuns(worker.deps.pool, { limit: 1 });
    expect(run).toMatchObject({
      source: 'huggingface',
      trigger: 'manual',
      day: DAY,
      jobId,
      attempt: 1,
      status: 'succeeded',
      fetched: 105,
      inserted: 105,
      withdrawn: 1,
      error: null,
    });
  });

  it('refreshes a day: moved upvotes are updated and nothing is inserted twice', async () => {
    sources.setDay(
      DAY,
      dayOfPapers('2509.', 105, (index) => (index < 3 ? 500 - index : 200 - index)),
    );
    const { finished } = await runJob('ingest-hf', { date: DAY, reason: 'refresh' });
    expect(await finished).toMatchObject({ inserted: 0, updated: 3, unchanged: 102 });
    const top = await worker.deps.pool.query<{ upvotes: number }>(
      "SELECT upvotes FROM papers WHERE id = '2509.10000'",
    );
    expect(top.rows[0]?.upvotes).toBe(500);
  });

  it('keeps what arrived when a source fails mid-day, records the failure, and other sources still land', async () => {
    sources.setDay(OUTAGE_DAY, dayOfPapers('2510.', 130));
    sources.failFromPage(1, 500);
    sources.setArxivFeed(arxivFeed);
    try {
      const huggingFace = await runJob('ingest-hf', { date: OUTAGE_DAY, reason: 'daily' }, { attempts: 1 });
      await expect(huggingFace.finished).rejects.toThrow(/answered 500/);
      const arxiv = await runJob('ingest-arxiv', { reason: 'daily' });
      expect(await arxiv.finished).toMatchObject({ inserted: 2, skipped: 0 });

      expect(await papersOn(OUTAGE_DAY)).toBe(100);
      const [arxivRun, failedRun] = await listIngestRuns(worker.deps.pool, { limit: 2 });
      expect(failedRun).toMatchObject({
        source: 'huggingface',
        trigger: 'daily',
        day: OUTAGE_DAY,
        jobId: huggingFace.jobId,
        status: 'failed',
        inserted: 100,
        error: expect.stringMatching(/daily_papers\?date=2025-09-09&limit=100&p=1 answered 500/),
      });
      expect(arxivRun).toMatchObject({
        source: 'arxiv',
        target: 'cs.CL,cs.LG',
        status: 'succeeded',
        inserted: 2,
      });

      // Every line about the failed run names its job, down to each retried request.
      const failedRunLines = logLines.filter((line) => line.ingestRun === failedRun!.id);
      expect(failedRunLines.map((line) => line.msg)).toEqual(
        expect.arrayContaining([
          'ingest run started',
          'page 1 stored',
          expect.stringMatching(/^retrying: GET .* answered 500/),
          expect.stringMatching(/^ingest run failed/),
        ]),
      );
      for (const line of failedRunLines)
        expect(line).toMatchObject({ jobId: huggingFace.jobId, queue: 'ingest' });
    } finally {
      sources.failFromPage(null);
    }
  });

  it('fetches yesterday (UTC) when the job names no day, as the schedules do', async () => {
    const before = previousUtcDate(new Date());
    sources.requests.length = 0;
    const { finished } = await runJob('ingest-hf', { reason: 'refresh' });
    const result = await finished;
    const after = previousUtcDate(new Date());
    expect([before, after]).toContain(result.target);
    expect(sources.requests[0]).toBe(`/api/daily_papers?date=${result.target}&limit=100&p=0`);
  });

  it('fails a job name it does not know at once, without retries', async () => {
    await worker.deps.queues.ingest.add('ingest-everything', {}, { jobId: 'unknown-job' });
    const job = await worker.deps.queues.ingest.getJob('unknown-job');
    await expect(job!.waitUntilFinished(events, 30_000)).rejects.toThrow(/no job named "ingest-everything"/);
    expect((await worker.deps.queues.ingest.getJob('unknown-job'))?.attemptsMade).toBe(1);
  });

  it('keeps the ingest schedules in Redis in line with the configuration, in UTC', async () => {
    const schedules = await worker.deps.queues.ingest.getJobSchedulers();
    expect(
      schedules
        .map(({ key, name, pattern, tz }) => ({ key, name, pattern, tz }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    ).toEqual([
      { key: 'ingest-arxiv-daily', name: 'ingest-arxiv', pattern: '10 0 1 1 *', tz: 'UTC' },
      { key: 'ingest-hf-daily', name: 'ingest-hf', pattern: '0 0 1 1 *', tz: 'UTC' },
      { key: 'ingest-hf-refresh', name: 'ingest-hf', pattern: '5 0 1 1 *', tz: 'UTC' },
    ]);
    // Turning ingest off must remove what an earlier start left behind in Redis.
    expect(await syncIngestSchedules(worker.deps.queues, { ...config, ingestSources: ['arxiv'] })).toEqual([
      'ingest-arxiv-daily',
    ]);
    await syncIngestSchedules(worker.deps.queues, { ...config, ingestEnabled: false });
    expect(await worker.deps.queues.ingest.getJobSchedulers()).toEqual([]);
  });
});
