import {
  pageUnfinishedDeliveries,
  recordComposeJobs,
  recordSendJobs,
  type UnfinishedDelivery,
} from '@paperboy/db';
import {
  composeJobs,
  findIdleJobIds,
  type PaperboyQueues,
  requeueMissing,
  sendDigestJobs,
} from '@paperboy/queue';
import type { Queue } from 'bullmq';
import type { WorkerDeps } from './deps.ts';

/** Unfinished deliveries read per page: big enough to pipeline lookups, small enough to stay quick. */
export const RECOVERY_PAGE_SIZE = 5_000;

/**
 * Postgres is the ledger; Redis only carries work. Every unfinished delivery whose job is gone
 * (Redis wiped, a crash between commit and enqueue) or finished without the ledger moving on
 * gets a job again: planned ones new compose batches, composed and sending ones new send batches
 * (each row's old batch job looked up by the id recorded on it; a finished job still holding a new
 * batch's id is removed first). Pages through every unfinished delivery in id order, so a
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
    const lostPlanned = await withoutLiveJob(
      deps,
      deps.queues.digest,
      planned,
      (delivery) => delivery.composeJob,
    );
    if (lostPlanned.length > 0) {
      const jobs = composeJobs(lostPlanned);
      await recordComposeJobs(
        deps.pool,
        jobs.map((job) => ({ jobId: job.jobId!, deliveryIds: job.data.deliveryIds })),
      );
      await requeue(deps.queues, deps, jobs);
      requeued += lostPlanned.length;
    }

    const sendable = page.filter((delivery) => delivery.status !== 'planned');
    const lostSends = await withoutLiveJob(deps, deps.queues.email, sendable, (delivery) => delivery.sendJob);
    if (lostSends.length > 0) {
      const jobs = sendDigestJobs(lostSends);
      await recordSendJobs(
        deps.pool,
        jobs.map((job) => ({ jobId: job.jobId!, deliveryIds: job.data.deliveryIds })),
      );
      await requeue(deps.queues, deps, jobs);
      requeued += lostSends.length;
    }
    if (page.length < pageSize) return requeued;
  }
}

/** The deliveries whose recorded batch job no longer carries work (gone, finished) or was never recorded. */
async function withoutLiveJob(
  deps: WorkerDeps,
  queue: Queue,
  deliveries: UnfinishedDelivery[],
  jobOf: (delivery: UnfinishedDelivery) => string | null,
): Promise<string[]> {
  const jobIds = [...new Set(deliveries.flatMap((delivery) => jobOf(delivery) ?? []))];
  const idle = await findIdleJobIds(deps.redis, queue, jobIds);
  return deliveries
    .filter((delivery) => {
      const jobId = jobOf(delivery);
      return jobId === null || idle.has(jobId);
    })
    .map((delivery) => delivery.id);
}

async function requeue(
  queues: PaperboyQueues,
  deps: WorkerDeps,
  jobs: ReturnType<typeof composeJobs> | ReturnType<typeof sendDigestJobs>,
): Promise<void> {
  await requeueMissing(
    deps.redis,
    queues,
    jobs.map((job) => ({ ...job, jobId: job.jobId! })),
  );
}
