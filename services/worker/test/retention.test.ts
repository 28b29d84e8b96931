import { loadConfig } from '@paperboy/config';
import {
  emailHash,
  findEdition,
  listEditions,
  openMigratedPool,
  type Pool,
  type RetentionResult,
  selectPapersForReader,
} from '@paperboy/db';
import type { Redis } from '@paperboy/queue';
import {
  closeQueues,
  createQueues,
  createRedisConnection,
  enqueue,
  type PaperboyQueues,
  Queues,
} from '@paperboy/queue';
import { systemClock } from '@paperboy/runtime';
import { createTestQueuePrefix, createTestSchema, TEST_REDIS_URL, type TestSchema } from '@paperboy/testing';
import { QueueEvents, Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerDeps } from '../src/deps.ts';
import { createDigestProcessor } from '../src/digest.processor.ts';
import { createWorkerMetrics } from '../src/metrics.ts';
import { scheduleRetention } from '../src/retention.handler.ts';

const OLD_RUNS = 2_500;

describe('retention: the daily job that deletes what is older than RETENTION_DAYS', () => {
  let schema: TestSchema;
  const queuePrefix = createTestQueuePrefix('retention');
  let pool: Pool;
  let redis: Redis;
  let workerRedis: Redis;
  let eventsRedis: Redis;
  let queues: PaperboyQueues;
  let worker: Worker;
  let events: QueueEvents;
  let readerId: string;

  const count = async (sql: string) => (await pool.query<{ n: number }>(sql)).rows[0]!.n;

  beforeAll(async () => {
    schema = await createTestSchema('retention');
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: schema.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix.prefix,
      RETENTION_DAYS: '90',
    });
    pool = await openMigratedPool(config.databaseUrl, 3);
    redis = createRedisConnection(config.redisUrl);
    workerRedis = createRedisConnection(config.redisUrl);
    queues = createQueues(redis, config);
    const deps: WorkerDeps = {
      config,
      pool,
      editionPool: pool,
      queues,
      redis,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      metrics: createWorkerMetrics(),
    };
    worker = new Worker(Queues.digest, createDigestProcessor(deps), {
      connection: workerRedis,
      prefix: config.queuePrefix,
    });
    eventsRedis = createRedisConnection(config.redisUrl);
    events = new QueueEvents(Queues.digest, { connection: eventsRedis, prefix: config.queuePrefix });
    await events.waitUntilReady();

    const reader = await pool.query<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, status) VALUES ('ada@example.org', $1, 'active') RETURNING id`,
      [emailHash('ada@example.org')],
    );
    readerId = reader.rows[0]!.id;
    // Two papers trending today; the reader got the first one 200 days ago.
    await pool.query(
      `INSERT INTO papers (id, title, trending_date) VALUES
         ('p-sent-long-ago', 'A Paper Sent Long Ago', current_date), ('p-new', 'A New Paper', current_date)`,
    );
    // Three editions on one old day (the first is the day's archive copy; the third is still
    // needed by an unfinished delivery), one recent.
    await pool.query(
      `INSERT INTO digest_editions (id, edition_date, template_version, subject, html, text, paper_ids, created_at)
       SELECT id, current_date - days, 'v1', 'Papers of the day', '<p>x</p>', 'x', '{}', now() - make_interval(days => days, secs => secs)
       FROM (VALUES ('0ld0a', 200, 30), ('0ld0b', 200, 20), ('0ld0c', 200, 10), ('4ece47', 10, 0)) AS e(id, days, secs)`,
    );
    const deliveries = await pool.query<{ id: string; edition_id: string | null }>(
      `INSERT INTO deliveries (subscriber_id, local_date, status, edition_id)
       SELECT $1, current_date - days, status, edition
       FROM (VALUES (200, 'sent', '0ld0b'), (201, 'failed', NULL), (202, 'composed', '0ld0c'), (10, 'sent', '4ece47'))
         AS d(days, status, edition)
       RETURNING id, edition_id`,
      [readerId],
    );
    const sentLongAgo = deliveries.rows.find((row) => row.edition_id === '0ld0b')!;
    await pool.query(
      `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position) VALUES ($1, $2, 'p-sent-long-ago', 1)`,
      [sentLongAgo.id, readerId],
    );
    // Many old ingest runs, so the job has to go round its batch loop; one old run never finished.
    await pool.query(
      `INSERT INTO ingest_runs (source, trigger, target, status, started_at)
       SELECT 'huggingface', 'daily', 'day ' || i, 'succeeded', now() - make_interval(days => 91, secs => i)
       FROM generate_series(1, $1) AS i`,
      [OLD_RUNS],
    );
    await pool.query(
      `INSERT INTO ingest_runs (source, trigger, target, status, started_at) VALUES
         ('arxiv', 'daily', 'still running', 'running', now() - interval '100 days'),
         ('arxiv', 'daily', 'recent', 'succeeded', now() - interval '3 days')`,
    );
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    workerRedis?.disconnect();
    await events?.close();
    eventsRedis?.disconnect();
    await closeQueues(queues);
    await redis?.quit();
    await pool?.end();
    await queuePrefix.remove();
    await schema?.drop();
  });

  it('is scheduled once a day, the same one schedule however many workers start', async () => {
    await scheduleRetention(queues);
    await scheduleRetention(queues);
    const schedulers = await queues.digest.getJobSchedulers();
    expect(schedulers.map((entry) => [entry.key, entry.name, entry.pattern, entry.tz])).toEqual([
      ['retention-daily', 'retention', '20 3 * * *', 'UTC'],
    ]);
  });

  it('deletes old finished deliveries, editions and runs in batches, keeping what the archive and the ledger need', async () => {
    await enqueue(queues, { name: 'retention', data: {}, jobId: 'retention-now' });
    const job = await queues.digest.getJob('retention-now');
    const result = (await job!.waitUntilFinished(events, 60_000)) as RetentionResult;
    expect(result).toEqual({ deliveries: 2, editions: 1, ingestRuns: OLD_RUNS });

    const left = await pool.query<{ status: string; edition_id: string | null }>(
      'SELECT status, edition_id FROM deliveries ORDER BY local_date',
    );
    expect(left.rows).toEqual([
      { status: 'composed', edition_id: '0ld0c' },
      { status: 'sent', edition_id: '4ece47' },
    ]);
    // The archive still shows the old day (its first edition) and every page still opens.
    expect((await listEditions(pool, 365)).map((edition) => edition.id)).toEqual([
      '4ece47',
      '0ld0c',
      '0ld0a',
    ]);
    expect(await findEdition(pool, '0ld0b')).toBeNull();
    expect(
      (await pool.query('SELECT target FROM ingest_runs ORDER BY started_at')).rows.map((row) => row.target),
    ).toEqual(['still running', 'recent']);
  });

  it('still never sends a reader a paper they got before the cut-off', async () => {
    expect(await count('SELECT count(*) AS n FROM delivery_papers')).toBe(1);
    const today = (await pool.query<{ d: string }>('SELECT current_date::text AS d')).rows[0]!.d;
    const selection = await selectPapersForReader(pool, {
      subscriberId: readerId,
      topics: [],
      localDate: today,
      lookbackDays: 7,
      limit: 10,
    });
    expect(selection.map((paper) => paper.id)).toEqual(['p-new']);
  });

  it('finds nothing more to delete on a second run', async () => {
    await enqueue(queues, { name: 'retention', data: {}, jobId: 'retention-again' });
    const job = await queues.digest.getJob('retention-again');
    expect(await job!.waitUntilFinished(events, 60_000)).toEqual({
      deliveries: 0,
      editions: 0,
      ingestRuns: 0,
    });
  });
});
