import { randomBytes } from 'node:crypto';
import { expireOverdueDeliveries, planDueDeliveriesInChunks } from '@paperboy/db';
import { COMPOSE_BATCH_SIZE, composeJob, enqueueBulk, type JobData } from '@paperboy/queue';
import type { WorkerDeps } from './deps.ts';
import { requeueLostDeliveries } from './recovery.ts';

export interface PlanResult {
  planned: number;
  /** Unfinished deliveries whose job was gone and was queued again. */
  requeued: number;
  /** Deliveries whose reader's local day passed unsent. */
  expired: number;
  /** Deliveries past their day whose claimant died mid-send: outcome unknown, not sent again. */
  uncertain: number;
}

/**
 * Heals the ledger, then creates today's deliveries for every reader whose hour has come and
 * queues their compose jobs, one job per batch of deliveries, a chunk of readers at a time: a
 * chunk's jobs are queued as soon as its rows are committed, so composing and sending start while
 * later chunks are still being planned. Each row is created with its compose job's id (unique to
 * this run) and the job is queued after commit; only rows this call created are queued, so a plan
 * that runs twice, or two planners racing, queue each digest once, and a crash between commit and
 * queueing leaves rows whose job recovery finds missing and queues again.
 */
export async function planDigests(deps: WorkerDeps, data: JobData<'plan'>): Promise<PlanResult> {
  // What has passed and what is lost is judged by the process clock; runAt only says which
  // moment to plan for (tests, catch-up).
  const expiry = await expireOverdueDeliveries(deps.pool, deps.clock.now());
  const requeued = await requeueLostDeliveries(deps);

  const now = data.runAt ? new Date(data.runAt) : deps.clock.now();
  const planned = await planDueDeliveriesInChunks(
    deps.pool,
    now,
    {
      ignoreSendHour: data.ignoreSendHour,
      // No ':' (BullMQ's key separator); random, so two runs never share a job id.
      composeBatches: { size: COMPOSE_BATCH_SIZE, jobIdPrefix: `compose-${randomBytes(8).toString('hex')}` },
    },
    async (chunk) => {
      await enqueueBulk(deps.queues, chunk.composeBatches.map(composeJob));
      deps.metrics.deliveriesPlanned.inc(chunk.deliveryIds.length);
    },
  );

  deps.metrics.deliveriesRequeued.inc(requeued);
  deps.metrics.expired.inc(expiry.expired);
  deps.metrics.uncertain.inc(expiry.uncertain);
  return { planned, requeued, expired: expiry.expired, uncertain: expiry.uncertain };
}
