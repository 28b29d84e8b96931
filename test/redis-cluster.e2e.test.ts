import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest, isWelcome } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const run = promisify(execFile);

/** A port the OS says is free, whose cluster bus port (+10000) is free too. */
async function freeClusterPort(taken: number[]): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const bound = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(bound));
      });
    });
  for (;;) {
    const port = await listen(0);
    if (port === null || port > 55_000 || taken.includes(port)) continue;
    if ((await listen(port + 10_000)) !== null) return port;
  }
}

function linkIn(text: string, urlPath: string): string {
  const match = new RegExp(`https://paperboy\\.test${urlPath}[A-Za-z0-9_.-]+`).exec(text);
  if (!match) throw new Error(`no ${urlPath} link in:\n${text}`);
  return match[0];
}

// Three masters of our own (never the shared Redis), joined with redis-cli as an operator would.
describe('paperboy on a Redis Cluster', { timeout: 180_000 }, () => {
  const servers: ChildProcess[] = [];
  const ports: number[] = [];
  let scratch: string;
  let stack: Stack;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'paperboy-cluster-'));
    for (let index = 0; index < 3; index += 1) {
      const port = await freeClusterPort(ports);
      ports.push(port);
      const dir = path.join(scratch, String(port));
      await run('mkdir', ['-p', dir]);
      const server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      servers.push(server);
    }
    for (const port of ports) {
      for (let tries = 0; tries < 100; tries += 1) {
        const pong = await run('redis-cli', ['-p', String(port), 'ping']).catch(() => ({ stdout: '' }));
        if (pong.stdout.trim() === 'PONG') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      for (let tries = 0; tries < 150; tries += 1) {
        const info = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (info.stdout.includes('cluster_state:ok')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    stack = await startStack('cluster', {
      env: {
        REDIS_URL: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
        // The digest is planned for 2026-11-30; on any other clock its day would be over (expired).
        CLOCK_START: '2026-11-30T12:00:00Z',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(
      servers.map((server) =>
        server.exitCode === null ? new Promise((resolve) => server.once('exit', resolve)) : null,
      ),
    );
    await rm(scratch, { recursive: true, force: true });
  });

  it('signs a reader up, confirms, and mails the digest with every queue, scheduler and counter in the cluster', async () => {
    expect(stack.api.deps.redis).toBeInstanceOf(Cluster);
    const signup = await fetch(`${stack.api.address}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.org', timezone: 'UTC', sendHour: 8 }),
    });
    expect(signup.status).toBe(202);
    const [confirmation] = await stack.sink.waitFor((mail) => mail.envelopeTo.includes('ada@example.org'));
    const confirmLink = linkIn(confirmation!.parsed.text ?? '', '/confirm/');
    expect((await fetch(stack.local(confirmLink), { method: 'POST' })).status).toBe(200);
    await stack.sink.waitFor(isWelcome);

    expect(await stack.plan(new Date('2026-11-30T12:00:00Z'))).toMatchObject({ planned: 1 });
    const [digest] = await stack.sink.waitFor(isDigest);
    expect(digest!.envelopeTo).toEqual(['ada@example.org']);

    // What lives in Redis is in the cluster, under the hash-tagged prefix: the job schedulers,
    // the queues' jobs and the rate-limit counters of the sign-up.
    const schedulers = await stack.workers[0]!.deps.queues.digest.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual([
      'plan-due-digests',
      'retention-daily',
    ]);
    // The api's own connection: connected, so it knows every master.
    const cluster = stack.api.deps.redis as Cluster;
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    const keys: string[] = [];
    for (const node of masters) keys.push(...(await node.keys(`${stack.config.queuePrefix}*`)));
    const prefix = stack.config.queuePrefix;
    expect(keys.some((key) => key.startsWith(`${prefix}:email:`))).toBe(true);
    expect(keys.some((key) => key.startsWith(`${prefix}:digest:repeat`))).toBe(true);
    expect(keys.some((key) => key.startsWith(stack.config.rateLimitPrefix))).toBe(true);
  });
});
