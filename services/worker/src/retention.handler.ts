import { deleteExpiredRecords, type RetentionResult } from '@paperboy/db';
import type { PaperboyQueues } from '@paperboy/queue';
import type { WorkerDeps } from './deps.ts';

// Small enough that each DELETE holds its row locks for milliseconds, so sends and composes
// running at the same time barely notice; the job loops until a batch comes back short.
const RETENTION_BATCH = 1_000;
// 03:20 UTC: after the nightly ingests, before most of Europe's morning digests.
const RETENTION_CRON = '20 3 * * *';

/** The retention job: deletes deliveries, editions and ingest runs older than RETENTION_DAYS. */
export async function runRetention(deps: WorkerDeps, now: Date = new Date()): Promise<RetentionResult> {
  return deleteExpiredRecords(deps.pool, {
    now,
    days: deps.config.retentionDays,
    batchSize: RETENTION_BATCH,
  });
}

/** One schedule however many workers start: upserting by id is idempotent across replicas. */
export const RETENTION_SCHEDULER = 'retention-daily';

export async function scheduleRetention(queues: PaperboyQueues): Promise<void> {
  await queues.digest.upsertJobScheduler(
    RETENTION_SCHEDULER,
    { pattern: RETENTION_CRON, tz: 'UTC' },
    { name: 'retention', data: {} },
  );
}
