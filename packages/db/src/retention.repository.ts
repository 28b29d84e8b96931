import type { Pool } from './pool.ts';

export interface RetentionResult {
  deliveries: number;
  editions: number;
  ingestRuns: number;
}

/**
 * Deletes what is older than `days` before `now`, in batches of `batchSize` rows per statement so
 * no statement holds many locks or runs long while readers are being served.
 *
 * Kept on purpose:
 * - deliveries still in flight (planned, composed, sending): the ledger has not finished them;
 * - delivery_papers (detached from deliveries by migration 060): "never a paper twice" needs them;
 * - an edition a remaining delivery points at, and each day's first edition, so the archive
 *   (GET /digests) still shows every past day and its page (GET /digests/:id) still opens;
 * - ingest runs still running.
 */
export async function deleteExpiredRecords(
  pool: Pool,
  options: { now: Date; days: number; batchSize: number },
): Promise<RetentionResult> {
  const params = [options.now.toISOString(), options.days, options.batchSize];
  const deliveries = await deleteInBatches(
    pool,
    `DELETE FROM deliveries WHERE id IN (
       SELECT id FROM deliveries
       WHERE local_date < ($1::timestamptz AT TIME ZONE 'UTC')::date - $2::int
         AND status NOT IN ('planned', 'composed', 'sending')
       LIMIT $3)`,
    params,
  );
  const editions = await deleteInBatches(
    pool,
    `DELETE FROM digest_editions WHERE id IN (
       SELECT e.id FROM digest_editions e
       WHERE e.edition_date < ($1::timestamptz AT TIME ZONE 'UTC')::date - $2::int
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = e.id)
         AND e.id <> (SELECT first.id FROM digest_editions first
                      WHERE first.edition_date = e.edition_date
                      ORDER BY first.created_at, first.id LIMIT 1)
       LIMIT $3)`,
    params,
  );
  const ingestRuns = await deleteInBatches(
    pool,
    `DELETE FROM ingest_runs WHERE id IN (
       SELECT id FROM ingest_runs
       WHERE started_at < $1::timestamptz - make_interval(days => $2::int) AND status <> 'running'
       LIMIT $3)`,
    params,
  );
  return { deliveries, editions, ingestRuns };
}

async function deleteInBatches(pool: Pool, sql: string, params: unknown[]): Promise<number> {
  const batchSize = params[2] as number;
  let total = 0;
  for (;;) {
    const deleted = (await pool.query(sql, params)).rowCount ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
