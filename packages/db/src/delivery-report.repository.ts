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
