import type { SkippedRecord } from '@paperboy/papers';
import type { Pool, PoolClient } from './pool.ts';

export type IngestRunSource = 'huggingface' | 'arxiv' | 'jsonl';
export type IngestTrigger = 'daily' | 'refresh' | 'manual' | 'cli';
export type IngestRunStatus = 'running' | 'succeeded' | 'failed';

export interface IngestRunStart {
  source: IngestRunSource;
  trigger: IngestTrigger;
  day: string | null;
  target: string;
  jobId: string | null;
  attempt: number;
}

/** What an ingest did to the store; the run log, the CLI summary and the job result all report these. */
export interface IngestCounts {
  /** Records the source sent (papers plus skipped records). */
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Stored but marked withdrawn: they are kept so they are never mailed, not dropped. */
  withdrawn: number;
  skipped: number;
}

export interface IngestRunOutcome extends Omit<IngestCounts, 'skipped'> {
  status: 'succeeded' | 'failed';
  skipped: SkippedRecord[];
  error: string | null;
}

export interface IngestRun extends IngestRunStart, IngestCounts {
  id: string;
  status: IngestRunStatus;
  skipReasons: SkippedRecord[];
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

// Enough to diagnose a bad feed or file; the full count is kept separately.
export const MAX_STORED_SKIP_REASONS = 200;

/** Records that a run began, so a run that dies half-way still shows up (as running, never finished). */
export async function startIngestRun(db: Pool | PoolClient, run: IngestRunStart): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO ingest_runs (source, trigger, day, target, job_id, attempt)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [run.source, run.trigger, run.day, run.target, run.jobId, run.attempt],
  );
  return result.rows[0]!.id;
}

export async function finishIngestRun(
  db: Pool | PoolClient,
  id: string,
  outcome: IngestRunOutcome,
): Promise<void> {
  await db.query(
    `UPDATE ingest_runs SET status = $2, fetched = $3, inserted = $4, updated = $5, unchanged = $6,
       withdrawn = $7, skipped = $8, skip_reasons = $9::jsonb, error = $10, finished_at = now()
     WHERE id = $1`,
    [
      id,
      outcome.status,
      outcome.fetched,
      outcome.inserted,
      outcome.updated,
      outcome.unchanged,
      outcome.withdrawn,
      outcome.skipped.length,
      JSON.stringify(outcome.skipped.slice(0, MAX_STORED_SKIP_REASONS)),
      outcome.error === null ? null : outcome.error.slice(0, 2000),
    ],
  );
}

/** The newest runs first, optionally of one source: what `paperboy papers runs` prints. */
export async function listIngestRuns(
  db: Pool | PoolClient,
  options: { limit: number; source?: IngestRunSource },
): Promise<IngestRun[]> {
  const result = await db.query<IngestRun>(
    `SELECT id, source, trigger, day, target, job_id AS "jobId", attempt, status, fetched, inserted, updated,
       unchanged, withdrawn, skipped, skip_reasons AS "skipReasons", error, started_at AS "startedAt",
       finished_at AS "finishedAt"
     FROM ingest_runs WHERE $2::text IS NULL OR source = $2
     ORDER BY started_at DESC, id LIMIT $1`,
    [options.limit, options.source ?? null],
  );
  return result.rows;
}
