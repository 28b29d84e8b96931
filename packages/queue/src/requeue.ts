import type { Queue } from 'bullmq';
import { type JobName, JobQueue } from './jobs.ts';
import type { PaperboyQueues, TypedJob } from './queues.ts';

const LOOKUPS_IN_FLIGHT = 1_000;

/**
 * Puts back the jobs the ledger says must exist but Redis does not hold (wiped, evicted, or
 * finished without the ledger moving on). Each job is looked up by its id: a waiting, delayed or
 * active one is left alone; a completed or failed one still holding the id is removed first, since
 * an add with a taken id is silently ignored. Lookups are pipelined a thousand at a time, so a
 * million deliveries take minutes, not hours. Returns how many jobs were added.
 */
export async function requeueMissing<N extends JobName>(
  queues: PaperboyQueues,
  jobs: (TypedJob<N> & { jobId: string })[],
): Promise<number> {
  const first = jobs[0];
  if (!first) return 0;
  const queue: Queue = queues[JobQueue[first.name]];
  let added = 0;
  for (let start = 0; start < jobs.length; start += LOOKUPS_IN_FLIGHT) {
    const slice = jobs.slice(start, start + LOOKUPS_IN_FLIGHT);
    const states = await Promise.all(slice.map((job) => queue.getJobState(job.jobId)));
    const missing: typeof slice = [];
    await Promise.all(
      slice.map(async (job, index) => {
        const state = states[index];
        if (state === 'completed' || state === 'failed') {
          // A job another worker just picked up again cannot be removed; it carries the delivery.
          const removed = await queue.remove(job.jobId).catch(() => 0);
          if (removed) missing.push(job);
        } else if (state === 'unknown') {
          missing.push(job);
        }
      }),
    );
    if (missing.length === 0) continue;
    await queue.addBulk(
      missing.map((job) => ({ name: job.name, data: job.data, opts: { ...job.options, jobId: job.jobId } })),
    );
    added += missing.length;
  }
  return added;
}

/**
 * Of these job ids, the ones whose job no longer carries work: gone from Redis, or finished
 * (completed or failed) while the ledger says its work is not done. Looked up a thousand at a time.
 */
export async function findIdleJobIds(queue: Queue, jobIds: readonly string[]): Promise<Set<string>> {
  const idle = new Set<string>();
  for (let start = 0; start < jobIds.length; start += LOOKUPS_IN_FLIGHT) {
    const slice = jobIds.slice(start, start + LOOKUPS_IN_FLIGHT);
    const states = await Promise.all(slice.map((id) => queue.getJobState(id)));
    slice.forEach((id, index) => {
      const state = states[index];
      if (state === 'unknown' || state === 'completed' || state === 'failed') idle.add(id);
    });
  }
  return idle;
}
