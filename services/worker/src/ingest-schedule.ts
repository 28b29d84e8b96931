import type { Config } from '@paperboy/config';
import type { JobData, PaperboyQueues } from '@paperboy/queue';

/** Scheduler ids are fixed so every replica upserts the same entries instead of adding its own. */
export const IngestSchedulers = {
  hfDaily: 'ingest-hf-daily',
  hfRefresh: 'ingest-hf-refresh',
  arxivDaily: 'ingest-arxiv-daily',
} as const;

type Schedule =
  | { id: string; pattern: string; name: 'ingest-hf'; data: JobData<'ingest-hf'> }
  | { id: string; pattern: string; name: 'ingest-arxiv'; data: JobData<'ingest-arxiv'> };

/** The schedules the configuration asks for. */
export function wantedIngestSchedules(config: Readonly<Config>): Schedule[] {
  if (!config.ingestEnabled) return [];
  const schedules: Schedule[] = [];
  if (config.ingestSources.includes('hf')) {
    if (config.ingestHfCron)
      schedules.push({
        id: IngestSchedulers.hfDaily,
        pattern: config.ingestHfCron,
        name: 'ingest-hf',
        data: { reason: 'daily' },
      });
    // Same job as the daily one: fetching yesterday again is what brings its upvotes up to date.
    if (config.ingestRefreshCron)
      schedules.push({
        id: IngestSchedulers.hfRefresh,
        pattern: config.ingestRefreshCron,
        name: 'ingest-hf',
        data: { reason: 'refresh' },
      });
  }
  if (config.ingestSources.includes('arxiv') && config.ingestArxivCron) {
    schedules.push({
      id: IngestSchedulers.arxivDaily,
      pattern: config.ingestArxivCron,
      name: 'ingest-arxiv',
      data: { reason: 'daily' },
    });
  }
  return schedules;
}

/**
 * Makes Redis hold exactly the configured ingest schedules. Schedulers outlive the process that
 * created them, so a schedule the configuration no longer wants is removed, not just left out:
 * turning ingest off must stop it on every replica.
 */
export async function syncIngestSchedules(
  queues: PaperboyQueues,
  config: Readonly<Config>,
): Promise<string[]> {
  const wanted = wantedIngestSchedules(config);
  for (const id of Object.values(IngestSchedulers)) {
    const schedule = wanted.find((entry) => entry.id === id);
    if (schedule) {
      await queues.ingest.upsertJobScheduler(
        id,
        { pattern: schedule.pattern, tz: 'UTC' },
        { name: schedule.name, data: schedule.data },
      );
    } else {
      await queues.ingest.removeJobScheduler(id);
    }
  }
  return wanted.map((schedule) => schedule.id);
}
