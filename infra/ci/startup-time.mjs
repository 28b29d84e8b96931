// How long each compiled service takes from its process start to a 200 on /readyz, migrations
// already applied: the figure behind "ready in under 5 s after migrations" (issue 11). It prints
// the figures and fails only if a service never gets ready; how fast is for a person to read, not
// for a test to assert on a shared 2-core machine.
//
//   node infra/ci/startup-time.mjs                      (from a compiled tree: npm run compile)
//   docker run -i --network host -e DATABASE_URL=… paperboy node --input-type=module - <infra/ci/startup-time.mjs
//
// Runs from the current folder, which must hold services/*/dist (the image's /app does). Uses
// DATABASE_URL, REDIS_URL and the rest from the environment; every port is a free one on 127.0.0.1.
// STARTUP_SERVICES (default "api worker mailer bounces") and STARTUP_RUNS (default 1) narrow or repeat.
// Then `paperboy start` (the CLI running all four, as `npm start` does) is timed to all four ready
// and stopped with SIGTERM, which it must survive with exit code 0 (STARTUP_CLI=0 skips it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const services = (process.env.STARTUP_SERVICES ?? 'api worker mailer bounces').split(/\s+/).filter(Boolean);
const runs = Number(process.env.STARTUP_RUNS ?? 1);
const READY_WITHIN_MS = 60_000;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

// The ops port each service answers /readyz on (the api's also serves it on PORT, before this one).
const readyPortVariable = {
  api: 'API_METRICS_PORT',
  worker: 'WORKER_METRICS_PORT',
  mailer: 'MAILER_METRICS_PORT',
  bounces: 'BOUNCES_METRICS_PORT',
};

const nodeOptions = (process.env.NODE_OPTIONS ?? '').includes('paperboy-dist')
  ? process.env.NODE_OPTIONS
  : `${process.env.NODE_OPTIONS ?? ''} --conditions=paperboy-dist`.trim();
const baseEnv = {
  ...process.env,
  NODE_OPTIONS: nodeOptions,
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  TOKEN_SECRET: process.env.TOKEN_SECRET || 'startup-time-secret-not-for-production-use',
  // No network beyond this machine, and no sample import skewing the first start.
  INGEST_ENABLED: 'false',
};

for (const service of services) {
  if (!readyPortVariable[service] || !existsSync(`services/${service}/dist/main.js`)) {
    console.error(`startup time: no compiled ${service} in ${process.cwd()} (npm run compile first)`);
    process.exit(2);
  }
}

// Migrations first, so every figure below is a start against an up-to-date schema.
const migrate = spawnSync(process.execPath, ['services/cli/dist/main.js', 'migrate'], {
  env: baseEnv,
  encoding: 'utf8',
});
if (migrate.status !== 0) {
  console.error(`startup time: paperboy migrate failed:\n${migrate.stdout}${migrate.stderr}`);
  process.exit(1);
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s on
 * Linux): unlike the wall-clock figure, it barely moves when other work shares the cores.
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A child process whose stderr is kept for the error message and whose exit can be awaited. */
function startProcess(args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const started = { child, stderr: '', exited: false };
  child.stderr.on('data', (chunk) => {
    started.stderr += chunk;
  });
  started.exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      started.exited = true;
      resolve(code ?? signal);
    });
  });
  return started;
}

async function timeStart(service) {
  const env = { ...baseEnv };
  for (const variable of ['PORT', 'BOUNCE_SMTP_PORT', ...Object.values(readyPortVariable)])
    env[variable] = String(await freePort());
  const url = `http://127.0.0.1:${env[readyPortVariable[service]]}/readyz`;
  const startedAt = performance.now();
  const started = startProcess([`services/${service}/dist/main.js`], env);
  try {
    while (!started.exited && performance.now() - startedAt < READY_WITHIN_MS) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return { wall: (performance.now() - startedAt) / 1000, cpu: cpuSeconds(started.child.pid) };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `${service} not ready within ${READY_WITHIN_MS / 1000} s${started.exited ? ' (it exited)' : ''}:\n${started.stderr}`,
    );
  } finally {
    if (!started.exited) started.child.kill('SIGTERM');
    await started.exit;
  }
}

// `paperboy start`: the CLI checks Postgres and Redis, migrates, then starts all four services.
async function timeCliStart() {
  const env = { ...baseEnv, OUTBOX_DIR: '/tmp/paperboy-startup-outbox', SMTP_URL: '' };
  for (const variable of ['PORT', 'BOUNCE_SMTP_PORT', ...Object.values(readyPortVariable)])
    env[variable] = String(await freePort());
  const startedAt = performance.now();
  const started = startProcess(['services/cli/bin/paperboy.js', 'start'], env);
  const waiting = new Set(Object.keys(readyPortVariable));
  while (waiting.size > 0 && !started.exited && performance.now() - startedAt < READY_WITHIN_MS) {
    for (const service of waiting) {
      const url = `http://127.0.0.1:${env[readyPortVariable[service]]}/readyz`;
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) waiting.delete(service);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - startedAt) / 1000;
  if (!started.exited) started.child.kill('SIGTERM');
  const stopTimer = setTimeout(() => started.child.kill('SIGKILL'), 30_000);
  const code = await started.exit;
  clearTimeout(stopTimer);
  if (waiting.size > 0)
    throw new Error(`paperboy start: ${[...waiting].join(', ')} never ready:\n${started.stderr}`);
  if (code !== 0) throw new Error(`paperboy start exited with ${code} after SIGTERM:\n${started.stderr}`);
  return seconds;
}

const figures = new Map(services.map((service) => [service, []]));
let cliSeconds = null;
try {
  for (let run = 0; run < runs; run += 1)
    for (const service of services) figures.get(service).push(await timeStart(service));
  if (process.env.STARTUP_CLI !== '0') cliSeconds = await timeCliStart();
} catch (error) {
  console.error(`startup time: ${error.message}`);
  process.exit(1);
}
const line = [...figures].map(
  ([service, times]) =>
    `${service} ${times.map((t) => t.wall.toFixed(2)).join('/')} s (cpu ${times.map((t) => t.cpu.toFixed(2)).join('/')} s)`,
);
const slowest = Math.max(...[...figures.values()].flat().map((t) => t.wall));
const [load] = readFileSync('/proc/loadavg', 'utf8').split(' ');
console.log(
  `startup time (process start to /readyz 200, node ${process.version}, one service at a time, load average ${load}): ${line.join(', ')}; slowest ${slowest.toFixed(2)} s${slowest < 5 ? ' (under 5 s)' : ' (OVER 5 s)'}`,
);
if (cliSeconds !== null)
  console.log(
    `startup time of \`paperboy start\` (all four ready, migrations included): ${cliSeconds.toFixed(2)} s; stopped by SIGTERM with exit code 0`,
  );
