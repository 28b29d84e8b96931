import type { Queue } from 'bullmq';
import type { Redis } from './connection.ts';
import { type JobName, JobQueue } from './jobs.ts';
import type { PaperboyQueues, TypedJob } from './queues.ts';

const LOOKUPS_PER_ROUND_TRIP = 1_000;

type JobPresence = 'missing' | 'finished' | 'live';

/**
 * Where each job id stands, a thousand per round trip. BullMQ's own getJobState searches the wait
 * and active lists (LPOS), which grows with the queue: a million lookups after a wipe would take
 * hours. A job exists while its hash `<prefix>:<queue>:<id>` exists, and is finished when it sits
 * in the queue's completed or failed sorted set: three O(1)/O(log n) reads, pipelined.
 */
async function presenceOf(redis: Redis, queue: Queue, jobIds: readonly string[]): Promise<JobPresence[]> {
  const pipeline = redis.pipeline();
  const completed = queue.toKey('completed');
  const failed = queue.toKey('failed');
  for (const id of jobIds) {
    pipeline.exists(queue.toKey(id));
    pipeline.zscore(completed, id);
    pipeline.zscore(failed, id);
  }
  const replies = (await pipeline.exec()) ?? [];
  return jobIds.map((_, index) => {
    const [exists, inCompleted, inFailed] = replies.slice(index * 3, index * 3 + 3).map((reply) => {
      if (reply[0]) throw reply[0];
      return reply[1];
    });
    if (exists === 0) return 'missing';
    return inCompleted !== null || inFailed !== null ? 'finished' : 'live';
  });
}

/**
 * Of these job ids, the ones whose job no longer carries work: gone from Redis, or finished
 * (completed or failed) while the ledger says its work is not done.
 */
export async function findIdleJobIds(
  redis: Redis,
  queue: Queue,
  jobIds: readonly string[],
): Promise<Set<string>> {
  const idle = new Set<string>();
  for (let start = 0; start < jobIds.length; start += LOOKUPS_PER_ROUND_TRIP) {
    const slice = jobIds.slice(start, start + LOOKUPS_PER_ROUND_TRIP);
    const presence = await presenceOf(redis, queue, slice);
    slice.forEach((id, index) => {
      if (presence[index] !== 'live') idle.add(id);
    });
  }
  return idle;
}

/**
 * Puts back the jobs the ledger says must exist but Redis does not hold (wiped, evicted, or
 * finished without the ledger moving on). Each job is looked up by its id: a waiting, delayed or
 * active one is left alone; a completed or failed one still holding the id is removed first, since
 * an add with a taken id is silently ignored. Returns how many jobs were added.
 */
export async function requeueMissing<N extends JobName>(
  redis: Redis,
  queues: PaperboyQueues,
  jobs: (TypedJob<N> & { jobId: string })[],
): Promise<number> {
  const first = jobs[0];
  if (!first) return 0;
  const queue: Queue = queues[JobQueue[first.name]];
  let added = 0;
  for (let start = 0; start < jobs.length; start += LOOKUPS_PER_ROUND_TRIP) {
    const slice = jobs.slice(start, start + LOOKUPS_PER_ROUND_TRIP);
    const presence = await presenceOf(
      redis,
      queue,
      slice.map((job) => job.jobId),
    );
    const missing = slice.filter((_, index) => presence[index] === 'missing');
    const finished = slice.filter((_, index) => presence[index] === 'finished');
    // A finished job another worker just picked up again cannot be removed; it carries the work.
    const removed = await Promise.all(finished.map((job) => queue.remove(job.jobId).catch(() => 0)));
    missing.push(...finished.filter((_, index) => removed[index]));
    if (missing.length === 0) continue;
    await queue.addBulk(
      missing.map((job) => ({ name: job.name, data: job.data, opts: { ...job.options, jobId: job.jobId } })),
    );
    added += missing.length;
  }
  return added;
}
