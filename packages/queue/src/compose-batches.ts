import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { MAX_COMPOSE_BATCH, MAX_SEND_BATCH } from './jobs.ts';
import type { TypedJob } from './queues.ts';

/**
 * How many deliveries planning puts in one compose job. Big enough that a batch's ten statements
 * cost little per reader (at 250 they are 4 in a thousand of its rows), small enough that several
 * batches keep every worker slot busy; its send job carries the same deliveries (MAX_SEND_BATCH).
 */
export const COMPOSE_BATCH_SIZE = 250;

/**
 * A finished compose job is dropped at once (the last thousand kept for a look in the dashboard):
 * at a million readers a day of them held ~40 MB of delivery ids in Redis for nothing. The ledger
 * says what was composed; a batch queued again after its job is gone finds its deliveries composed
 * and only queues their (deduplicated, claimed) sends again.
 */
const composeJobOptions: JobsOptions = { removeOnComplete: { count: 1_000 } };

/** A compose job for a batch whose job id is already chosen (planning records it on the rows). */
export function composeJob(batch: { jobId: string; deliveryIds: string[] }): TypedJob<'compose'> {
  return {
    name: 'compose',
    data: { deliveryIds: batch.deliveryIds },
    jobId: batch.jobId,
    options: composeJobOptions,
  };
}

/** A job id naming exactly this set of deliveries: the same set always gets the same id. */
function batchJobId(kind: 'compose' | 'sendb', deliveryIds: readonly string[]): string {
  const digest = createHash('sha256')
    .update([...deliveryIds].sort().join(','))
    .digest('hex')
    .slice(0, 32);
  return `${kind}-${digest}`;
}

function slices(ids: readonly string[], size: number): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < ids.length; start += size) batches.push(ids.slice(start, start + size));
  return batches;
}

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
  return slices(deliveryIds, size).map((batch) =>
    composeJob({ jobId: batchJobId('compose', batch), deliveryIds: batch }),
  );
}

/**
 * Send jobs for composed deliveries, a batch per job, ids derived as for compose jobs. Sending a
 * batch twice is harmless: each delivery is claimed in the ledger before its message goes.
 */
export function sendDigestJobs(
  deliveryIds: readonly string[],
  batchSize: number = MAX_SEND_BATCH,
): TypedJob<'send-digests'>[] {
  const size = Math.max(1, Math.min(batchSize, MAX_SEND_BATCH));
  return slices(deliveryIds, size).map((batch) => ({
    name: 'send-digests',
    data: { deliveryIds: batch },
    jobId: batchJobId('sendb', batch),
  }));
}
