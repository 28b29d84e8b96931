import type { Pool, PoolClient } from './pool.ts';

/** An unfinished delivery as recovery sees it: what job should be carrying it. */
export interface UnfinishedDelivery {
  id: string;
  status: 'planned' | 'composed' | 'sending';
  /** The compose job a planned delivery was queued in (null: its plan died before recording it). */
  composeJob: string | null;
  /** The send job a composed or sending delivery was queued in (null: not recorded yet). */
  sendJob: string | null;
  /** For `sending`: when its lease ends (then the outcome is unknown and the send job decides). */
  leaseUntil: Date | null;
}

/**
 * One page of unfinished deliveries in id order, after `afterId`. Recovery pages through all of
 * them (a million after a wiped Redis), a page at a time, instead of stopping at a fixed cap.
 */
export async function pageUnfinishedDeliveries(
  db: Pool | PoolClient,
  afterId: string | null,
  limit: number,
): Promise<UnfinishedDelivery[]> {
  const result = await db.query<UnfinishedDelivery>(
    `SELECT id, status, compose_job AS "composeJob", send_job AS "sendJob", lease_until AS "leaseUntil"
     FROM deliveries
     WHERE status IN ('planned', 'composed', 'sending') AND ($1::uuid IS NULL OR id > $1::uuid)
     ORDER BY id
     LIMIT $2`,
    [afterId, limit],
  );
  return result.rows;
}

/** Remembers which compose job carries which planned deliveries, so recovery can look it up by id. */
export async function recordComposeJobs(
  db: Pool | PoolClient,
  jobs: { jobId: string; deliveryIds: string[] }[],
): Promise<void> {
  const ids = jobs.flatMap((job) => job.deliveryIds);
  if (ids.length === 0) return;
  const jobIds = jobs.flatMap((job) => job.deliveryIds.map(() => job.jobId));
  await db.query(
    `UPDATE deliveries d SET compose_job = x.job_id
     FROM unnest($1::uuid[], $2::text[]) AS x(id, job_id)
     WHERE d.id = x.id AND d.status = 'planned'`,
    [ids, jobIds],
  );
}

/** Remembers which send job carries which composed deliveries, so recovery can look it up by id. */
export async function recordSendJobs(
  db: Pool | PoolClient,
  jobs: readonly { jobId: string; deliveryIds: readonly string[] }[],
): Promise<void> {
  const ids = jobs.flatMap((job) => job.deliveryIds);
  if (ids.length === 0) return;
  const jobIds = jobs.flatMap((job) => job.deliveryIds.map(() => job.jobId));
  await db.query(
    `UPDATE deliveries d SET send_job = x.job_id
     FROM unnest($1::uuid[], $2::text[]) AS x(id, job_id)
     WHERE d.id = x.id AND d.status IN ('composed', 'sending')`,
    [ids, jobIds],
  );
}

/**
 * Every unfinished delivery whose reader's local day has passed (by the process clock) becomes
 * `expired`; one still in `sending` with a run-out lease becomes `uncertain` (it may have gone out
 * before its mailer died, and a day late it is not sent again). Readers in a zone Postgres does
 * not know are left alone rather than failing the statement for everyone.
 */
export async function expireOverdueDeliveries(
  db: Pool | PoolClient,
  now: Date,
): Promise<{ expired: number; uncertain: number }> {
  const result = await db.query<{ status: 'expired' | 'uncertain'; count: number }>(
    `WITH candidates AS MATERIALIZED (
       SELECT d.id, d.local_date, s.timezone
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.status IN ('planned', 'composed', 'sending')
         -- No zone is more than a day ahead of UTC: a later local date cannot have passed yet.
         AND d.local_date <= ($1::timestamptz AT TIME ZONE 'UTC')::date
         AND s.timezone IN (SELECT name FROM pg_timezone_names)
     ), changed AS (
       UPDATE deliveries d
       SET status = CASE WHEN d.status = 'sending' THEN 'uncertain' ELSE 'expired' END,
           expired_at = $1, lease_owner = NULL, lease_until = NULL, updated_at = now()
       FROM candidates c
       WHERE d.id = c.id
         AND c.local_date < ($1::timestamptz AT TIME ZONE c.timezone)::date
         AND (d.status IN ('planned', 'composed') OR (d.status = 'sending' AND d.lease_until <= $1::timestamptz))
       RETURNING d.status
     )
     SELECT status, count(*) AS count FROM changed GROUP BY status`,
    [now.toISOString()],
  );
  const counts = { expired: 0, uncertain: 0 };
  for (const row of result.rows) counts[row.status] = row.count;
  return counts;
}
