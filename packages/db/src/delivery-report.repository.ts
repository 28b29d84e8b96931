import { DELIVERY_STATUSES, type DeliveryStatus } from './deliveries.repository.ts';
import type { Pool } from './pool.ts';

/** One delivery as an operator sees it in the admin API. */
export interface DeliveryReportRow {
  id: string;
  subscriberId: string;
  localDate: string;
  status: DeliveryStatus;
  messageId: string | null;
  sendAttempts: number;
  resentAfterCrash: number;
  lastError: string | null;
  lastFailureClass: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  sentAt: Date | null;
}

/** One local date's deliveries by status, and how many were sent again after a mailer died. */
export interface DeliverySummary {
  date: string;
  counts: Record<DeliveryStatus, number>;
  /** Sends repeated (same Message-ID) because a lease expired in `sending`. */
  resentAfterCrash: number;
}

export async function summariseDeliveries(pool: Pool, date: string): Promise<DeliverySummary> {
  const result = await pool.query<{ status: DeliveryStatus; count: number; resent: number }>(
    `SELECT status, count(*) AS count, sum(resent_after_crash)::int AS resent
     FROM deliveries WHERE local_date = $1 GROUP BY status`,
    [date],
  );
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<
    DeliveryStatus,
    number
  >;
  let resentAfterCrash = 0;
  for (const row of result.rows) {
    counts[row.status] = row.count;
    resentAfterCrash += row.resent;
  }
  return { date, counts, resentAfterCrash };
}

/**
 * A local date's deliveries in id order, optionally one status, or only those that were sent
 * again after a crash (`resent`); keyset pagination by id.
 */
export async function listDeliveries(
  pool: Pool,
  filter: { date: string; status?: DeliveryStatus; resentOnly?: boolean; limit: number; afterId?: string },
): Promise<{ items: DeliveryReportRow[]; nextAfter: string | null }> {
  const result = await pool.query<DeliveryReportRow>(
    `SELECT id, subscriber_id AS "subscriberId", local_date AS "localDate", status,
            message_id AS "messageId", send_attempts AS "sendAttempts",
            resent_after_crash AS "resentAfterCrash", last_error AS "lastError",
            last_failure_class AS "lastFailureClass", lease_owner AS "leaseOwner",
            lease_until AS "leaseUntil", sent_at AS "sentAt"
     FROM deliveries
     WHERE local_date = $1 AND ($2::text IS NULL OR status = $2)
       AND (NOT $3 OR resent_after_crash > 0) AND ($4::uuid IS NULL OR id > $4::uuid)
     ORDER BY id
     LIMIT $5`,
    [
      filter.date,
      filter.status ?? null,
      filter.resentOnly ?? false,
      filter.afterId ?? null,
      filter.limit + 1,
    ],
  );
  const items = result.rows.slice(0, filter.limit);
  const nextAfter = result.rows.length > filter.limit ? (items.at(-1)?.id ?? null) : null;
  return { items, nextAfter };
}

/** One local date's deliveries by status, for the night shift. Statuses are counted as stored. */
export interface DeliveryDayReport {
  localDate: string;
  total: number;
  byStatus: Record<string, number>;
  /** Deliveries a person should look at: outcome unknown (`uncertain`) or given up (`failed`). */
  needsAttention: DeliveryNeedingAttention[];
}

export interface DeliveryNeedingAttention {
  id: string;
  subscriberId: string;
  email: string;
  status: string;
  sendAttempts: number;
  lastError: string | null;
  updatedAt: Date;
}

// The statuses an operator acts on. `uncertain` is what a send with an unknown outcome is recorded
// as; any status the ledger does not use yet simply matches nothing.
const ATTENTION_STATUSES = ['uncertain', 'failed'];

export async function reportDeliveriesOn(
  pool: Pool,
  localDate: string,
  attentionLimit: number,
): Promise<DeliveryDayReport> {
  const counts = await pool.query<{ status: string; count: number }>(
    'SELECT status, count(*)::int AS count FROM deliveries WHERE local_date = $1 GROUP BY status ORDER BY status',
    [localDate],
  );
  const attention = await pool.query<DeliveryNeedingAttention>(
    `SELECT d.id, d.subscriber_id AS "subscriberId", s.email, d.status, d.send_attempts AS "sendAttempts",
       d.last_error AS "lastError", d.updated_at AS "updatedAt"
     FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
     WHERE d.local_date = $1 AND d.status = ANY($2::text[])
     ORDER BY d.status DESC, d.updated_at DESC, d.id
     LIMIT $3`,
    [localDate, ATTENTION_STATUSES, attentionLimit],
  );
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const row of counts.rows) {
    byStatus[row.status] = row.count;
    total += row.count;
  }
  return { localDate, total, byStatus, needsAttention: attention.rows };
}

/** A reader's latest deliveries, newest first: what `paperboy subscribers show` prints. */
export async function recentDeliveriesOf(
  pool: Pool,
  subscriberId: string,
  limit: number,
): Promise<{ localDate: string; status: string; sentAt: Date | null; lastError: string | null }[]> {
  const result = await pool.query<{
    localDate: string;
    status: string;
    sentAt: Date | null;
    lastError: string | null;
  }>(
    `SELECT local_date AS "localDate", status, sent_at AS "sentAt", last_error AS "lastError"
     FROM deliveries WHERE subscriber_id = $1 ORDER BY local_date DESC LIMIT $2`,
    [subscriberId, limit],
  );
  return result.rows;
}
