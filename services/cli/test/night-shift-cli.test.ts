import { createPool, emailHash, type Pool } from '@paperboy/db';
import type { Redis } from '@paperboy/queue';
import { closeQueues, createQueues, createRedisConnection, type PaperboyQueues } from '@paperboy/queue';
import { createTestQueuePrefix, createTestSchema, TEST_REDIS_URL, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaperboySession, type Ran, spawnPaperboy, startPaperboySession } from './support/cli.ts';

// Most commands run in one CLI session (a cold start is about a second of CPU each); the ones marked
// `spawnPaperboy` run as their own process, to show that a real one prints, exits and exits by itself.
describe('the night-shift commands (subscribers, suppressions, queues, deliveries)', {
  timeout: 240_000,
}, () => {
  let schema: TestSchema;
  let pool: Pool;
  let redis: Redis;
  let queues: PaperboyQueues;
  let session: PaperboySession;
  const queuePrefix = createTestQueuePrefix('night');

  const env = () => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: schema.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix.prefix,
  });
  const paperboy = (...args: string[]) => session.run(...args);
  const json = <T>(ran: Ran): T => {
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    return JSON.parse(ran.stdout) as T;
  };

  beforeAll(async () => {
    schema = await createTestSchema('night');
    const migrated = await spawnPaperboy(env(), 'migrate');
    expect(migrated.code).toBe(0);
    session = startPaperboySession(env());
    pool = createPool(schema.url, 2);
    redis = createRedisConnection(TEST_REDIS_URL);
    queues = createQueues(redis, { queuePrefix: queuePrefix.prefix });
  }, 240_000);
  afterAll(async () => {
    await session?.close();
    await closeQueues(queues);
    await redis?.quit();
    await pool?.end();
    await queuePrefix.remove();
    await schema?.drop();
  });

  it('adds a reader as pending with a confirmation queued, then lists and shows them', async () => {
    const added = json<{ id: string; status: string; confirmationQueued: boolean }>(
      await spawnPaperboy(
        env(),
        'subscribers',
        'add',
        'Ada@Example.ORG',
        '--topics',
        'diffusion, reinforcement learning',
        '--timezone',
        'Europe/Berlin',
        '--hour',
        '7',
        '--json',
      ),
    );
    expect(added).toMatchObject({ status: 'pending', confirmationQueued: true });
    const waiting = await queues.email.getJobs(['waiting']);
    expect(waiting.map((job) => [job.name, job.data])).toEqual([
      ['send-confirmation', { subscriberId: added.id }],
    ]);

    const [listed, table, shown] = await Promise.all([
      paperboy('subscribers', 'list', '--status', 'pending', '--json'),
      paperboy('subscribers', 'list'),
      paperboy('subscribers', 'show', 'ada@example.org', '--json'),
    ]);
    expect(json<{ items: { email: string }[] }>(listed).items.map((reader) => reader.email)).toEqual([
      'Ada@example.org',
    ]);
    expect(table.stdout).toMatch(/^created \(UTC\)\s+email\s+status\s+timezone\s+hour\s+papers\s+topics$/m);
    expect(table.stdout).toMatch(
      /Ada@example\.org\s+pending\s+Europe\/Berlin\s+7\s+10\s+diffusion, reinforcement learning$/m,
    );
    expect(json<{ subscriber: object; suppression: null }>(shown)).toMatchObject({
      subscriber: { id: added.id, status: 'pending', topics: ['diffusion', 'reinforcement learning'] },
      suppression: null,
      deliveries: [],
    });
  });

  it('suppresses an address, lists it by its hash, and lifts it again', async () => {
    const added = await paperboy('suppressions', 'add', 'ada@example.org', '--detail', 'asked by phone');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('ada@example.org is suppressed (manual); nothing more is sent to it\n');

    const hash = emailHash('ada@example.org');
    const [listed, shown] = await Promise.all([
      paperboy('suppressions', 'list', '--json'),
      paperboy('subscribers', 'show', 'ada@example.org'),
    ]);
    expect(json<{ items: object[] }>(listed).items).toEqual([
      expect.objectContaining({ emailHash: hash, reason: 'manual', detail: 'asked by phone' }),
    ]);
    expect(shown.stdout).toMatch(/^suppressed {4}manual since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);

    expect(json(await paperboy('suppressions', 'lift', hash, '--json'))).toEqual({
      emailHash: hash,
      lifted: true,
    });
    const again = await paperboy('suppressions', 'lift', 'ada@example.org');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('ada@example.org was not suppressed; nothing changed\n');
  });

  it('shows jobs per queue and state, names a paused queue, and resumes it', async () => {
    await queues.email.pause();
    const table = await paperboy('queues');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^queue\s+state\s+waiting\s+active\s+delayed\s+prioritized\s+completed\s+failed$/m,
    );
    expect(table.stdout).toMatch(/^email\s+PAUSED\s+1\s+0\s+0\s+0\s+0\s+0$/m);
    expect(table.stdout).toMatch(/^digest\s+running\s+0/m);
    expect(table.stdout).toContain('email paused: `paperboy queues resume email` resumes');

    expect(json(await paperboy('queues', 'resume', 'email', '--json'))).toEqual({ resumed: ['email'] });
    expect(await queues.email.isPaused()).toBe(false);
    const reports = json<{ queue: string; paused: boolean; counts: { waiting: number } }[]>(
      await spawnPaperboy(env(), 'queues', '--json'),
    );
    expect(reports.map((report) => [report.queue, report.paused, report.counts.waiting])).toEqual([
      ['digest', false, 0],
      ['email', false, 1],
      ['ingest', false, 0],
    ]);
  });

  it("counts a day's deliveries by status and lists the ones that need a person", async () => {
    await pool.query(
      `INSERT INTO subscribers (email, email_hash, status) VALUES
         ('grace@example.org', $1, 'active'), ('linus@example.org', $2, 'active')`,
      [emailHash('grace@example.org'), emailHash('linus@example.org')],
    );
    await pool.query(
      `INSERT INTO deliveries (subscriber_id, local_date, status, last_error, send_attempts)
       SELECT id, '2025-09-10', CASE WHEN email LIKE 'grace%' THEN 'sent' ELSE 'failed' END,
         CASE WHEN email LIKE 'linus%' THEN '550 5.1.1 no such user' END, 1
       FROM subscribers WHERE status = 'active'`,
    );
    const [table, report, empty] = await Promise.all([
      paperboy('deliveries', '--date', '2025-09-10'),
      paperboy('deliveries', '--date', '2025-09-10', '--json'),
      paperboy('deliveries', '--date', '2025-09-11'),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^2025-09-10: 2 deliveries; failed 1, sent 1$/m);
    expect(table.stdout).toMatch(
      /^failed\s+linus@example\.org\s+1\s+\S+ \S+\s+[0-9a-f-]{36}\s+550 5\.1\.1 no such user$/m,
    );
    expect(json(report)).toMatchObject({
      localDate: '2025-09-10',
      total: 2,
      byStatus: { sent: 1, failed: 1 },
      needsAttention: [{ email: 'linus@example.org', status: 'failed', lastError: '550 5.1.1 no such user' }],
    });
    expect(empty.stdout).toBe('no deliveries for 2025-09-11\n');
  });

  it('answers a mistake with exit code 2 and what is wrong, never a stack trace', async () => {
    const mistakes = await Promise.all([
      paperboy('subscribers', 'frobnicate'),
      spawnPaperboy(env(), 'deliveries', '--date', '2025-02-30'),
      paperboy('queues', 'resume', 'nope'),
      paperboy('subscribers', 'list', '--bogus'),
      paperboy('subscribers', 'add', 'not-an-address'),
      paperboy('subscribers', 'list', '--status', 'asleep'),
    ]);
    expect(mistakes.map((ran) => ran.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(mistakes.map((ran) => ran.stderr.split('\n')[0])).toEqual([
      'paperboy: usage: paperboy subscribers list|show EMAIL_OR_ID|add EMAIL',
      'paperboy: --date must be a calendar date, YYYY-MM-DD',
      'paperboy: unknown queue "nope"; the queues are digest, email, ingest',
      expect.stringMatching(/^paperboy: Unknown option '--bogus'\./),
      'paperboy: "not-an-address" is not an email address',
      'paperboy: --status must be one of pending, active, unsubscribed',
    ]);
    for (const ran of mistakes) expect(ran.stderr).not.toMatch(/\n\s+at /);
  });
});
