import { expireOverdueDeliveries, planDueDeliveries, recordComposeJobs } from '@paperboy/db';
import { composeJobs, enqueueBulk, type JobData } from '@paperboy/queue';
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
 * queues their compose jobs, one job per batch of deliveries. Only rows this call created are
 * queued, and a batch's job id is a digest of its ids, so a plan that runs twice, or two planners
 * racing, queue each digest once.
 */
export async function planDigests(deps: WorkerDeps, data: JobData<'plan'>): Promise<PlanResult> {
  // What has passed and what is lost is judged by the process clock; runAt only says which
  // moment to plan for (tests, catch-up).
  const expiry = await expireOverdueDeliveries(deps.pool, deps.clock.now());
  const requeued = await requeueLostDeliveries(deps);

  const now = data.runAt ? new Date(data.runAt) : deps.clock.now();
  const created = await planDueDeliveries(deps.pool, now, { ignoreSendHour: data.ignoreSendHour });
  const jobs = composeJobs(created);
  // Recorded before the jobs are queued: recovery finds each planned row's job by this id.
  await recordComposeJobs(
    deps.pool,
    jobs.map((job) => ({ jobId: job.jobId!, deliveryIds: job.data.deliveryIds })),
  );
  await enqueueBulk(deps.queues, jobs);

  deps.metrics.deliveriesPlanned.inc(created.length);
  deps.metrics.deliveriesRequeued.inc(requeued);
  deps.metrics.expired.inc(expiry.expired);
  deps.metrics.uncertain.inc(expiry.uncertain);
  return { planned: created.length, requeued, expired: expiry.expired, uncertain: expiry.uncertain };
}
