import { createHash } from 'node:crypto';
import { MAX_COMPOSE_BATCH } from './jobs.ts';
import type { TypedJob } from './queues.ts';

/**
 * How many deliveries planning puts in one compose job. Big enough that a batch's few statements
 * cost little per reader, small enough that several batches keep every worker slot busy.
 */
export const COMPOSE_BATCH_SIZE = 100;

/**
 * Compose jobs for these deliveries, in batches. The job id is a digest of the batch's sorted ids
 * (no ':'), so enqueueing the same batch twice adds one job; overlapping batches are harmless too,
 * because composing skips deliveries that are locked or no longer planned.
 */
export function composeJobs(
  deliveryIds: readonly string[],
  batchSize: number = COMPOSE_BATCH_SIZE,
): TypedJob<'compose'>[] {
  const size = Math.max(1, Math.min(batchSize, MAX_COMPOSE_BATCH));
  const jobs: TypedJob<'compose'>[] = [];
  for (let start = 0; start < deliveryIds.length; start += size) {
    const batch = deliveryIds.slice(start, start + size);
    const digest = createHash('sha256')
      .update([...batch].sort().join(','))
      .digest('hex')
      .slice(0, 32);
    jobs.push({ name: 'compose', data: { deliveryIds: batch }, jobId: `compose-${digest}` });
  }
  return jobs;
}
