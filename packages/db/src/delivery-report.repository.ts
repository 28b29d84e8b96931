import type { Pool } from './pool.ts';

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
