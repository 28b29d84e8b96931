import { findStalledDeliveries, planDueDeliveries } from '@paperboy/db';
import { composeJobs, enqueueBulk, type JobData } from '@paperboy/queue';
import type { WorkerDeps } from './deps.ts';

// A delivery untouched this long had its job lost (Redis flushed, crash between commit and enqueue).
const STALLED_AFTER_SECONDS = 15 * 60;

export interface PlanResult {
  planned: number;
  requeued: number;
}

/**
 * Creates today's deliveries for every reader whose hour has come and queues their compose jobs,
 * one job per batch of deliveries. Only rows this call created are queued, and a batch's job id is
 * a digest of its ids, so a plan that runs twice, or two planners racing, queue each digest once.
 */
export async function planDigests(deps: WorkerDeps, data: JobData<'plan'>): Promise<PlanResult> {
  const now = data.runAt ? new Date(data.runAt) : new Date();
  const created = await planDueDeliveries(deps.pool, now, { ignoreSendHour: data.ignoreSendHour });
  await enqueueBulk(deps.queues, composeJobs(created));
  // Postgres is the source of truth: anything the ledger says is unfinished gets its job back.
  // Staleness is measured against the real clock, whatever moment the plan is for.
  const stalled = await findStalledDeliveries(deps.pool, new Date(), STALLED_AFTER_SECONDS);
  await enqueueBulk(
    deps.queues,
    composeJobs(stalled.filter((delivery) => delivery.status === 'planned').map((delivery) => delivery.id)),
  );
  await enqueueBulk(
    deps.queues,
    stalled
      .filter((delivery) => delivery.status === 'composed')
      .map((delivery) => ({
        name: 'send-digest' as const,
        data: { deliveryId: delivery.id },
        jobId: `send-${delivery.id}`,
      })),
  );
  deps.metrics.deliveriesPlanned.inc(created.length);
  return { planned: created.length, requeued: stalled.length };
}
