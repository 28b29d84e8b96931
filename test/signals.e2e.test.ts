import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectionConfig } from '@paperboy/db';
import { COMPILED_BUILD_ENV, createTestQueuePrefix, TEST_DATABASE_URL } from '@paperboy/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Spawned, spawnCommand } from './support/processes.ts';

/** Every process below `pid`: npm → sh → the paperboy CLI → api, worker, mailer. */
function descendantsOf(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of rows)
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function allGone(pids: number[], withinMs: number): Promise<number[]> {
  for (let waited = 0; waited < withinMs; waited += 200) {
    if (!pids.some(alive)) return [];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return pids.filter(alive);
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

// `npm start` as a person runs it, stopped the two ways a person stops it.
describe('stopping `npm start`', { timeout: 240_000 }, () => {
  const databaseName = `paperboy_signals_${process.pid}`;
  const queuePrefix = createTestQueuePrefix('signals');
  let outbox: string;
  let env: Record<string, string>;
  let running: Spawned | undefined;

  beforeAll(async () => {
    outbox = await mkdtemp(path.join(tmpdir(), 'paperboy-signals-'));
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.pathname = `/${databaseName}`;
    env = {
      DATABASE_URL: databaseUrl.toString(),
      QUEUE_PREFIX: queuePrefix.prefix,
      OUTBOX_DIR: outbox,
      PORT: '0',
      WORKER_METRICS_PORT: '0',
      MAILER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      SMTP_URL: '',
    };
  });
  afterAll(async () => {
    await running?.stop();
    await queuePrefix.remove();
    await rm(outbox, { recursive: true, force: true });
    const admin = new pg.Client(connectionConfig(TEST_DATABASE_URL));
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
  });

  /**
   * `npm start` from the TypeScript sources (the services through tsx), as a developer runs it, or
   * under the image's `paperboy-dist` condition (the services from dist/, seconds faster to start).
   */
  async function startAndWait(build: 'sources' | 'compiled'): Promise<{ spawned: Spawned; pids: number[] }> {
    const spawned = spawnCommand(
      'npm',
      ['start'],
      build === 'compiled' ? { ...env, ...COMPILED_BUILD_ENV } : env,
    );
    running = spawned;
    await spawned.waitForOutput(/"service":"api".*"msg":"Server listening at/, 150_000);
    await spawned.waitForOutput(/"msg":"mailer started"/, 150_000);
    await spawned.waitForOutput(/"msg":"worker started"/, 150_000);
    const pids = descendantsOf(spawned.child.pid!);
    // sh, the CLI and three services at least (npm itself is the spawned child).
    expect(pids.length).toBeGreaterThanOrEqual(5);
    return { spawned, pids };
  }

  function expectOneCleanShutdownEach(output: string) {
    for (const service of ['api', 'worker', 'mailer']) {
      expect(
        count(output, new RegExp(`"service":"${service}".*"msg":"shutting down, finishing in-flight work"`)),
        service,
      ).toBe(1);
      expect(count(output, new RegExp(`"service":"${service}".*"msg":"shut down cleanly"`)), service).toBe(1);
    }
    expect(output).not.toContain('second signal');
  }

  // A process manager sends SIGTERM; it runs the compiled build, as the image does.
  it('SIGTERM to the npm process alone stops the CLI and every service, each cleanly and once', async () => {
    const { spawned, pids } = await startAndWait('compiled');
    process.kill(spawned.child.pid!, 'SIGTERM');
    expect(await allGone(pids, 60_000)).toEqual([]);
    expectOneCleanShutdownEach(spawned.output());
  });

  // Ctrl+C comes from a developer's terminal, running the sources: the one test of `npm start` through tsx.
  it('Ctrl+C (SIGINT to the whole foreground group) stops every service cleanly and once', async () => {
    const { spawned, pids } = await startAndWait('sources');
    process.kill(-spawned.child.pid!, 'SIGINT');
    expect(await allGone(pids, 60_000)).toEqual([]);
    expectOneCleanShutdownEach(spawned.output());
  });
});
