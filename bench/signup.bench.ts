// Sign-up under load: the compiled api as its own process (rate limits raised by env), a load
// generator as another (signup-load.ts), distinct addresses per request. After the run the api is
// killed with SIGKILL, so nothing it still had in memory can be flushed late, and every address
// answered 202 is looked up: its row in Postgres and a confirmation job on the email queue.
//   node --import tsx bench/signup.bench.ts [--connections 50] [--seconds 10]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPool } from '@paperboy/db';
import {
  COMPILED_BUILD_ENV,
  createTestQueuePrefix,
  createTestSchema,
  TEST_REDIS_URL,
} from '@paperboy/testing';
import { Redis } from 'ioredis';
import { redisPid } from './daily/redis-memory.ts';
import { cpuPerRequest, describeCpu, openCpuWindow, type SignupCpu } from './signup-cpu.ts';
import type { LoadOptions, LoadResult } from './signup-load.ts';

export interface SignupFigures {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  accepted: number;
  durableRows: number;
  confirmationJobs: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const WARMUP_SECONDS = 2;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForHealth(port: number, exited: () => boolean, logFile: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (exited()) throw new Error(`the api exited before it answered; see ${logFile}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the api did not answer /healthz within 60 s; see ${logFile}`);
}

function runLoadProcess(
  options: LoadOptions,
  onWindow: (edge: 'start' | 'end', loadPid: number) => void,
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/signup-load.ts'), JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  child.on('message', (edge) => {
    if (edge === 'start' || edge === 'end') onWindow(edge, child.pid!);
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as LoadResult)
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/** Subscriber ids named by every confirmation job under the prefix (no mailer runs, so all wait). */
async function confirmationSubscriberIds(prefix: string): Promise<Set<string>> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const ids = await redis.lrange(`${prefix}:email:wait`, 0, -1);
    const subscriberIds = new Set<string>();
    for (let start = 0; start < ids.length; start += 1_000) {
      const pipeline = redis.pipeline();
      for (const id of ids.slice(start, start + 1_000))
        pipeline.hmget(`${prefix}:email:${id}`, 'name', 'data');
      for (const [, fields] of (await pipeline.exec()) ?? []) {
        const [name, data] = fields as [string | null, string | null];
        if (name === 'send-confirmation' && data)
          subscriberIds.add((JSON.parse(data) as { subscriberId: string }).subscriberId);
        if (name === 'send-confirmations' && data)
          for (const id of (JSON.parse(data) as { subscriberIds: string[] }).subscriberIds)
            subscriberIds.add(id);
      }
    }
    return subscriberIds;
  } finally {
    await redis.quit();
  }
}

/** What the CLI prints besides the figures: how the api's CPU was spent, and any answer but 202. */
interface SignupDiagnostics {
  cpu: SignupCpu;
  /** Rows per INSERT of the api's group commit: one statement's rows share now(), their created_at. */
  meanGroupSize: number;
  statuses: Record<string, number>;
}

export async function benchSignup(options: { connections: number; seconds: number }): Promise<SignupFigures> {
  const { figures, diagnostics } = await runSignupBench(options);
  console.log(`sign-up: ${describeDiagnostics(diagnostics)}`);
  return figures;
}

function describeDiagnostics(diagnostics: SignupDiagnostics): string {
  return (
    `${describeCpu(diagnostics.cpu)}; ${diagnostics.meanGroupSize.toFixed(1)} sign-ups per group commit; ` +
    `answers ${JSON.stringify(diagnostics.statuses)}`
  );
}

async function runSignupBench(options: {
  connections: number;
  seconds: number;
}): Promise<{ figures: SignupFigures; diagnostics: SignupDiagnostics }> {
  execFileSync('npm', ['run', '-s', 'compile'], { cwd: root, stdio: 'inherit' });
  const schema = await createTestSchema('bench_signup');
  // Names the api's connections, so their backends' CPU can be told from other users of Postgres.
  const applicationName = `paperboy-${schema.name}`;
  const databaseUrl = new URL(schema.url);
  databaseUrl.searchParams.set('application_name', applicationName);
  const queue = createTestQueuePrefix('bench-signup');
  const port = await freePort();
  const logFile = join(tmpdir(), `paperboy-signup-bench-${process.pid}.log`);
  const log = openSync(logFile, 'w');
  // SIGNUP_BENCH_CPU_PROF=<dir> writes the api's CPU profile there (the api then stops by SIGTERM,
  // since a killed process writes none; still before anything is counted).
  const profileDir = process.env.SIGNUP_BENCH_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const api = spawn(process.execPath, [...profile, join(root, 'services/api/dist/main.js')], {
    cwd: root,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      ...COMPILED_BUILD_ENV,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queue.prefix,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      ADMIN_TOKEN: randomBytes(16).toString('hex'),
      PUBLIC_BASE_URL: 'https://paperboy.bench',
      HOST: '127.0.0.1',
      PORT: String(port),
      API_METRICS_PORT: '0',
      INGEST_ENABLED: 'false',
      // One client sends every request: the limits stay on (their Redis calls are part of the
      // cost), high enough never to answer 429.
      RATE_LIMIT_PER_MINUTE: '1000000',
      SIGNUPS_PER_IP_PER_HOUR: '1000000',
    },
  });
  let exited = false;
  const apiExit = new Promise<void>((resolve) =>
    api.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pool = createPool(schema.url, 2);
  try {
    await waitForHealth(port, () => exited, logFile);
    // CPU over the measured window only: start-up and JIT warm-up are not sign-ups.
    const redis = await redisPidOf(TEST_REDIS_URL);
    let cpuWindow: ReturnType<typeof openCpuWindow> | undefined;
    let cpuMs: Promise<Record<string, number>> | undefined;
    const load = await runLoadProcess(
      {
        port,
        connections: options.connections,
        warmupSeconds: WARMUP_SECONDS,
        seconds: options.seconds,
        runId: randomBytes(4).toString('hex'),
      },
      (edge, loadPid) => {
        if (edge === 'start')
          cpuWindow = openCpuWindow({ api: api.pid!, load: loadPid, redis }, pool, applicationName);
        else cpuMs = cpuWindow?.stop();
      },
    );
    if (!cpuMs) throw new Error('the load generator never closed its measured window');
    const cpu = cpuPerRequest(await cpuMs, load.requests);
    // No grace: what a 202 promised must already be in Postgres and Redis.
    api.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
    await apiExit;
    const { rows } = await pool.query<{ id: string }>(
      'SELECT id FROM subscribers WHERE email = ANY($1::text[])',
      [load.acceptedEmails],
    );
    const jobs = await confirmationSubscriberIds(queue.prefix);
    const groups = await pool.query<{ statements: number }>(
      'SELECT count(DISTINCT created_at)::int AS statements FROM subscribers WHERE email = ANY($1::text[])',
      [load.acceptedEmails],
    );
    const figures: SignupFigures = {
      requests: load.requests,
      seconds: load.seconds,
      perSecond: load.requests / load.seconds,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      accepted: load.acceptedEmails.length,
      durableRows: rows.length,
      confirmationJobs: rows.filter((row) => jobs.has(row.id)).length,
    };
    const meanGroupSize = rows.length / Math.max(1, groups.rows[0]?.statements ?? 0);
    return { figures, diagnostics: { cpu, meanGroupSize, statuses: load.statuses } };
  } finally {
    if (!exited) api.kill('SIGKILL');
    closeSync(log);
    await pool.end();
    await queue.remove();
    await schema.drop();
  }
}

async function redisPidOf(url: string): Promise<number> {
  const redis = new Redis(url);
  try {
    return await redisPid(redis);
  } finally {
    await redis.quit();
  }
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { figures, diagnostics } = await runSignupBench({
    connections: argument('connections', 50),
    seconds: argument('seconds', 10),
  });
  console.log(
    `sign-up: ${figures.perSecond.toFixed(0)} req/s over ${figures.seconds.toFixed(1)} s ` +
      `(${figures.requests} requests), p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms; ` +
      `${figures.accepted} accepted (warm-up included), ${figures.durableRows} rows, ` +
      `${figures.confirmationJobs} with a confirmation job`,
  );
  console.log(describeDiagnostics(diagnostics));
  console.log(JSON.stringify(figures));
}
