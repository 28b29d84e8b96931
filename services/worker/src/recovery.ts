import { pageUnfinishedDeliveries, recordComposeJobs } from '@paperboy/db';
import { composeJobs, findIdleJobIds, requeueMissing } from '@paperboy/queue';
import type { WorkerDeps } from './deps.ts';

/** Unfinished deliveries read per page: big enough to pipeline lookups, small enough to stay quick. */
export const RECOVERY_PAGE_SIZE = 5_000;

/** The send job of a delivery; one per delivery, so a lookup by id finds it. */
export function sendJobId(deliveryId: string): string {
  return `send-${deliveryId}`;
}

/**
 * Postgres is the ledger; Redis only carries work. Every unfinished delivery whose job is gone
 * (Redis wiped, a crash between commit and enqueue) or finished without the ledger moving on
 * gets a job again: planned ones new compose batches (their old batch job looked up by the id
 * recorded on the row), composed and sending ones their send job (`send-<id>`, removed first if
 * a finished job still holds the id). Pages through every unfinished delivery in id order, so a
 * million after a wipe recover in minutes, with no cap. Returns how many deliveries got a job.
 */
export async function requeueLostDeliveries(
  deps: WorkerDeps,
  pageSize = RECOVERY_PAGE_SIZE,
): Promise<number> {
  let afterId: string | null = null;
  let requeued = 0;
  for (;;) {
    const page = await pageUnfinishedDeliveries(deps.pool, afterId, pageSize);
    if (page.length === 0) return requeued;
    afterId = page.at(-1)!.id;

    const planned = page.filter((delivery) => delivery.status === 'planned');
    const batchIds = [
      ...new Set(planned.flatMap((delivery) => (delivery.composeJob ? [delivery.composeJob] : []))),
    ];
    const idleBatches = await findIdleJobIds(deps.redis, deps.queues.digest, batchIds);
    const orphans = planned
      .filter((delivery) => delivery.composeJob === null || idleBatches.has(delivery.composeJob))
      .map((delivery) => delivery.id);
    if (orphans.length > 0) {
      const jobs = composeJobs(orphans);
      await recordComposeJobs(
        deps.pool,
        jobs.map((job) => ({ jobId: job.jobId!, deliveryIds: job.data.deliveryIds })),
      );
      await requeueMissing(
        deps.redis,
        deps.queues,
        jobs.map((job) => ({ ...job, jobId: job.jobId! })),
      );
      requeued += orphans.length;
    }

    const sendable = page.filter((delivery) => delivery.status !== 'planned');
    requeued += await requeueMissing(
      deps.redis,
      deps.queues,
      sendable.map((delivery) => ({
        name: 'send-digest' as const,
        data: { deliveryId: delivery.id },
        jobId: sendJobId(delivery.id),
      })),
    );
    if (page.length < pageSize) return requeued;
  }
}
