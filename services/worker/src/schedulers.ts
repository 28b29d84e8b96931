import type { Config } from '@paperboy/config';
import type { PaperboyQueues } from '@paperboy/queue';
import type { Logger } from '@paperboy/runtime';
import { wantedIngestSchedules } from './ingest-schedule.ts';
import type { WorkerMetrics } from './metrics.ts';
import { RETENTION_SCHEDULER, scheduleRetention } from './retention.handler.ts';

export const PLAN_SCHEDULER = 'plan-due-digests';

/** One plan scheduler entry however many workers start: upsert by id is idempotent across replicas. */
export async function upsertPlanScheduler(queues: PaperboyQueues, config: Readonly<Config>): Promise<void> {
  await queues.digest.upsertJobScheduler(
    PLAN_SCHEDULER,
    { every: config.planEveryMinutes * 60_000 },
    { name: 'plan', data: { ignoreSendHour: false } },
  );
}

/**
 * Schedulers live only in Redis: a wiped or failed-over Redis loses them, and then no plan (or
 * retention) would
 * ever run again. Every worker checks on a timer and re-creates what is missing (only what is
 * missing: upserting a present scheduler would push its next run back). Returns what it re-created.
 */
export async function restoreMissingSchedulers(
  queues: PaperboyQueues,
  config: Readonly<Config>,
): Promise<string[]> {
  const restored: string[] = [];
  if (!(await queues.digest.getJobScheduler(PLAN_SCHEDULER))) {
    await upsertPlanScheduler(queues, config);
    restored.push(PLAN_SCHEDULER);
  }
  if (!(await queues.digest.getJobScheduler(RETENTION_SCHEDULER))) {
    await scheduleRetention(queues);
    restored.push(RETENTION_SCHEDULER);
  }
  for (const schedule of wantedIngestSchedules(config)) {
    if (await queues.ingest.getJobScheduler(schedule.id)) continue;
    await queues.ingest.upsertJobScheduler(
      schedule.id,
      { pattern: schedule.pattern, tz: 'UTC' },
      { name: schedule.name, data: schedule.data },
    );
    restored.push(schedule.id);
  }
  return restored;
}

/** Runs restoreMissingSchedulers every SCHEDULER_CHECK_SECONDS; stop() ends it. */
export function watchSchedulers(
  queues: PaperboyQueues,
  config: Readonly<Config>,
  logger: Logger,
  metrics: WorkerMetrics,
): { stop(): void } {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const restored = await restoreMissingSchedulers(queues, config);
      for (const id of restored) metrics.schedulersRecreated.inc({ scheduler: id });
      if (restored.length > 0)
        logger.warn({ schedulers: restored }, 'job schedulers were missing in Redis; re-created');
    } catch (error) {
      logger.warn({ err: error }, 'could not check the job schedulers (Redis unavailable?); will try again');
    } finally {
      running = false;
    }
  }, config.schedulerCheckSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
