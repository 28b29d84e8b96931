import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectionConfig } from '@paperboy/db';
import { COMPILED_BUILD_ENV, createTestQueuePrefix, TEST_DATABASE_URL } from '@paperboy/testing';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type Spawned, spawnCommand } from './support/processes.ts';

// What a new user does: `npm start`, sign up, confirm, `npx paperboy digest run-now`, read the outbox.
describe('running paperboy as a new user would', () => {
  const databaseName = `paperboy_run_it_${process.pid}`;
  const queuePrefix = createTestQueuePrefix('run_it');
  let outbox: string;
  /** For `npm start` and `npx paperboy` from the TypeScript sources, as a new user runs them. */
  let sourcesEnv: Record<string, string>;
  let env: Record<string, string>;
  let paperboy: Spawned;

  async function outboxMails() {
    const files = (await readdir(outbox).catch(() => [])).filter((file) => file.endsWith('.eml')).sort();
    return Promise.all(files.map(async (file) => simpleParser(await readFile(path.join(outbox, file)))));
  }

  beforeAll(async () => {
    outbox = await mkdtemp(path.join(tmpdir(), 'paperboy-outbox-'));
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.pathname = `/${databaseName}`;
    sourcesEnv = {
      DATABASE_URL: databaseUrl.toString(),
      QUEUE_PREFIX: queuePrefix.prefix,
      OUTBOX_DIR: outbox,
      PORT: '0',
      API_METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      MAILER_METRICS_PORT: '0',
      BOUNCE_SMTP_PORT: '0',
      BOUNCES_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      SMTP_URL: '',
    };
    // Most of the file runs the compiled build, as the image does: the CLI and the four services it
    // starts skip tsx's transform of every source file, seconds of CPU each. The last test runs
    // `npx paperboy` from the sources, so the CLI's tsx path stays proven too.
    env = { ...sourcesEnv, ...COMPILED_BUILD_ENV };
    paperboy = spawnCommand('npm', ['start'], env);
  });

  afterAll(async () => {
    await paperboy?.stop();
    await queuePrefix.remove();
    await rm(outbox, { recursive: true, force: true });
    const admin = new pg.Client(connectionConfig(TEST_DATABASE_URL));
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
  });

  it('serves the API, confirms by mail, and run-now puts a digest in the outbox', {
    timeout: 180_000,
  }, async () => {
    const [, address] = await paperboy.waitForOutput(
      /"service":"api".*"msg":"Server listening at (http:\/\/[^"]+)"/,
      90_000,
    );
    await paperboy.waitForOutput(/"msg":"mailer started"/, 90_000);
    await paperboy.waitForOutput(/"msg":"worker started"/, 90_000);

    const signup = await fetch(`${address}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'new.user@example.org' }),
    });
    expect(signup.status).toBe(202);

    let confirmation = (await outboxMails()).find((mail) => /confirm/i.test(mail.subject ?? ''));
    for (let tries = 0; !confirmation && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      confirmation = (await outboxMails()).find((mail) => /confirm/i.test(mail.subject ?? ''));
    }
    const link = /http:\/\/localhost:3000(\/confirm\/[A-Za-z0-9_.-]+)/.exec(confirmation?.text ?? '')?.[1];
    expect(link).toBeTruthy();
    expect((await fetch(`${address}${link}`, { method: 'POST' })).status).toBe(200);

    const runNow = await runCommand('npx', ['paperboy', 'digest', 'run-now'], env);
    expect(runNow.output).toContain('planned 1 digest(s)');
    expect(runNow.output).toContain('sent 1');
    expect(runNow.code).toBe(0);

    const digest = (await outboxMails()).find((mail) => mail.messageId?.includes('.digest@'));
    expect(digest?.subject).toMatch(/trending papers?:/);
    expect(digest?.to && 'text' in digest.to ? digest.to.text : '').toBe('new.user@example.org');

    // Still one a day: a second run-now plans nothing new.
    const again = await runCommand('npx', ['paperboy', 'digest', 'run-now'], env);
    expect(again.output).toContain('planned 0 digest(s)');
  });

  it('says which backing service is missing, where it looked and how to start it', async () => {
    const result = await runCommand('npx', ['paperboy', 'migrate'], {
      ...env,
      DATABASE_URL: 'postgres://127.0.0.1:1/paperboy',
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PostgreSQL is not reachable at 127.0.0.1:1 (from DATABASE_URL)');
    expect(result.output).toMatch(/start one with/);
  });

  it('lists every bad setting at once instead of a stack trace', async () => {
    const result = await runCommand('npx', ['paperboy', 'migrate'], {
      ...sourcesEnv,
      PORT: 'eighty',
      REDIS_URL: 'http://x',
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PORT must be a whole number');
    expect(result.output).toContain('REDIS_URL must use redis: or rediss:');
    expect(result.output).not.toMatch(/\n\s+at /);
  });
});
