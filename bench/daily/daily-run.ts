import { createQueues, createRedisConnection, enqueue, type Redis } from '@paperboy/queue';
import type { DailyFigures } from './figures.ts';
import { type CpuSampler, readPeakRss, startCpuSampler } from './proc-stats.ts';
import { redisPid, watchMemory } from './redis-memory.ts';
import { seedReaders } from './seed.ts';
import { type Knobs, serviceEnv } from './service-env.ts';
import { deadService, type RunningService, startService, warnings } from './services.ts';
import type { CountingSink } from './sink-client.ts';
import type { BenchWorld } from './world.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STALL_MS = 90_000;

/** Waits until no digest job is waiting or running (the worker's first scheduled plan finds nobody). */
async function digestQueueIdle(queues: ReturnType<typeof createQueues>): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    const counts = await queues.digest.getJobCounts('active', 'wait', 'prioritized');
    if (counts.active === 0 && counts.wait === 0 && (counts.prioritized ?? 0) === 0) return;
    await sleep(200);
  }
  throw new Error('the digest queue did not go idle within 60 s of the worker starting');
}

/** Adds the bench database's backends to the `postgres-own` group as they appear. */
function learnOwnBackends(world: BenchWorld, sampler: CpuSampler): { stop(): Promise<void> } {
  let stopped = false;
  const learn = async () => {
    const { rows } = await world.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [world.applicationName],
    );
    for (const row of rows) sampler.alsoCount(row.pid, 'postgres-own');
  };
  const loop = (async () => {
    while (!stopped) {
      await learn().catch(() => {});
      await sleep(1_000);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/**
 * The daily path as an operator runs it: seeded readers, worker and mailer as compiled processes,
 * a run-now plan job, and the clock stopped when the sink has every digest. CPU, memory and the
 * ledger are read around exactly that window.
 */
export async function runDailyPath(
  world: BenchWorld,
  sink: CountingSink,
  options: { readers: number; knobs: Knobs; extraEnv: Record<string, string> },
): Promise<DailyFigures> {
  const seedStart = performance.now();
  await seedReaders(world.pool, options.readers);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${options.readers.toLocaleString('en')} readers in ${seedSeconds.toFixed(1)} s`);

  const env = serviceEnv(world, sink.smtpUrl, options.knobs, options.extraEnv);
  const services: RunningService[] = [];
  const connection: Redis = createRedisConnection(world.redisUrl);
  const queues = createQueues(connection, { queuePrefix: world.queuePrefix });
  try {
    services.push(await startService('worker', env), await startService('mailer', env));
    await digestQueueIdle(queues);
    const [worker, mailer] = services as [RunningService, RunningService];
    const redis = await redisPid(connection);
    const groups = new Map<number, string>([
      [worker.pid, 'worker'],
      [mailer.pid, 'mailer'],
      [redis, 'redis'],
      [sink.pid, 'sink'],
    ]);
    const before = await sink.counts();
    const memory = await watchMemory(connection);
    const sampler = startCpuSampler(
      (stat) => groups.get(stat.pid) ?? (stat.comm === 'postgres' ? 'postgres' : null),
    );
    const own = learnOwnBackends(world, sampler);

    const startedAt = Date.now();
    console.log(`run-now for ${options.readers.toLocaleString('en')} readers …`);
    await enqueue(queues, {
      name: 'plan',
      data: { ignoreSendHour: true },
      jobId: `bench-run-now-${startedAt}`,
    });
    let counts = before;
    let progressAt = Date.now();
    let reportedAt = Date.now();
    while (counts.messages - before.messages < options.readers) {
      await sleep(100);
      const next = await sink.counts();
      if (Date.now() - reportedAt >= 15_000) {
        reportedAt = Date.now();
        const sent = next.messages - before.messages;
        console.log(
          `  ${sent.toLocaleString('en')} at the sink after ${((reportedAt - startedAt) / 1000).toFixed(0)} s`,
        );
      }
      if (next.messages !== counts.messages) progressAt = Date.now();
      counts = next;
      const dead = deadService(services);
      if (dead) throw new Error(dead);
      if (Date.now() - progressAt > STALL_MS)
        throw new Error(
          `no message reached the sink for ${STALL_MS / 1000} s (${counts.messages - before.messages} of ${options.readers}):\n${warnings(services).slice(-20).join('\n')}`,
        );
    }
    const cpuMs = sampler.stop();
    await own.stop();
    const redisMemory = await memory.stop();
    const seconds = (counts.lastAt - startedAt) / 1000;
    const messages = counts.messages - before.messages;

    const editions = await world.pool.query<{ n: number }>('SELECT count(*) AS n FROM digest_editions');
    const statuses = await world.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*) AS n FROM deliveries GROUP BY status ORDER BY status',
    );
    const sent = statuses.rows.find((row) => row.status === 'sent')?.n ?? 0;
    const perDigest = (group: string) => (cpuMs[group] ?? 0) / messages;
    return {
      readers: options.readers,
      knobs: options.knobs,
      seedSeconds,
      seconds,
      digestsPerSecond: messages / seconds,
      messages,
      cpuMsPerDigest: {
        worker: perDigest('worker'),
        mailer: perDigest('mailer'),
        postgres: perDigest('postgres'),
        postgresOwnBackends: perDigest('postgres-own'),
        redis: perDigest('redis'),
        sink: perDigest('sink'),
      },
      peakRssBytes: { worker: readPeakRss(worker.pid), mailer: readPeakRss(mailer.pid) },
      redisPeakGrowthBytes: redisMemory.peakGrowth,
      redisServerPeakBytes: redisMemory.serverPeak,
      editions: editions.rows[0]!.n,
      readersPerEdition: sent / Math.max(1, editions.rows[0]!.n),
      deliveries: Object.fromEntries(statuses.rows.map((row) => [row.status, row.n])),
      bytesPerMessage: (counts.bytes - before.bytes) / messages,
      warnings: warnings(services).length,
    };
  } finally {
    for (const service of services) await service.spawned.stop();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await connection.quit();
  }
}
