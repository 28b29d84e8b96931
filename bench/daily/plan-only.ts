import { createQueues, createRedisConnection, enqueue, type Redis } from '@paperboy/queue';
import type { PlanFigures } from './figures.ts';
import { prefixMemory, usedMemory } from './redis-memory.ts';
import { seedReaders } from './seed.ts';
import { type Knobs, serviceEnv } from './service-env.ts';
import { type RunningService, startService } from './services.ts';
import type { BenchWorld } from './world.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Planning alone: a compiled worker runs the run-now plan job for every seeded reader, and the
 * clock stops when that job completes (deliveries inserted, compose jobs recorded and queued).
 * Nothing composes or sends: once the plan job is running, the digest queue is paused, so the
 * worker finishes it but takes no compose job; no mailer runs. The SMTP URL goes nowhere.
 */
export async function runPlanOnly(
  world: BenchWorld,
  options: { readers: number; knobs: Knobs; extraEnv: Record<string, string> },
): Promise<PlanFigures> {
  const seedStart = performance.now();
  await seedReaders(world.pool, options.readers);
  await world.pool.query('ANALYZE subscribers');
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${options.readers.toLocaleString('en')} readers in ${seedSeconds.toFixed(1)} s`);

  const env = serviceEnv(world, 'smtp://127.0.0.1:9', options.knobs, options.extraEnv);
  const connection: Redis = createRedisConnection(world.redisUrl);
  const queues = createQueues(connection, { queuePrefix: world.queuePrefix });
  let worker: RunningService | null = null;
  try {
    worker = await startService('worker', env);
    // The worker's own scheduled plan runs first and finds nobody due (send hour 23).
    for (let waited = 0; (await queues.digest.getActiveCount()) > 0 || waited < 1_000; waited += 200)
      await sleep(200);
    const memoryBefore = (await usedMemory(connection)).used;
    const jobId = `bench-plan-only-${Date.now()}`;
    const start = performance.now();
    await enqueue(queues, { name: 'plan', data: { ignoreSendHour: true }, jobId });
    for (;;) {
      const state = await queues.digest.getJob(jobId).then((job) => job?.getState());
      if (state === 'active' || state === 'completed') break;
      await sleep(20);
    }
    await queues.digest.pause();
    console.log(`planning ${options.readers.toLocaleString('en')} due readers …`);
    let state: string | undefined;
    do {
      await sleep(100);
      state = await queues.digest.getJob(jobId).then((job) => job?.getState());
      if (state === 'failed')
        throw new Error(`the plan job failed:\n${worker.spawned.output().slice(-3000)}`);
      if (worker.spawned.child.exitCode !== null)
        throw new Error(`the worker exited:\n${worker.spawned.output().slice(-3000)}`);
    } while (state !== 'completed');
    const job = await queues.digest.getJob(jobId);
    // The job's own timestamps, so the 100 ms polling does not round the figure up.
    const seconds = job?.finishedOn
      ? (job.finishedOn - job.timestamp) / 1000
      : (performance.now() - start) / 1000;
    const memoryAfter = (await usedMemory(connection)).used;
    const deliveries = await world.pool.query<{ n: number }>('SELECT count(*) AS n FROM deliveries');
    const counts = await queues.digest.getJobCounts('wait', 'prioritized');
    const prefix = await prefixMemory(connection, world.queuePrefix);
    return {
      readers: options.readers,
      seedSeconds,
      seconds,
      deliveries: deliveries.rows[0]!.n,
      composeJobs: (counts.wait ?? 0) + (counts.prioritized ?? 0),
      redisPrefixBytes: prefix.bytes,
      redisPrefixKeys: prefix.keys,
      redisGrowthBytes: memoryAfter - memoryBefore,
    };
  } finally {
    await worker?.spawned.stop();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await connection.quit();
  }
}
