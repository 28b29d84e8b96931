import type { Pool } from './pool.ts';
import { type Cadence, SUBSCRIBER_COLUMNS, type Subscriber } from './subscribers.repository.ts';

/** What a reader may change about their digest; absent fields stay as they are. */
export interface PreferenceChange {
  topics?: string[];
  timezone?: string;
  sendHour?: number;
  paperCount?: number;
  cadence?: Cadence;
  /** ISO weekday of a weekly digest, 1 = Monday … 7 = Sunday. */
  weekday?: number;
  /** Pause for this many days from now; 0 resumes at once. */
  pauseDays?: number;
}

/**
 * Applies a reader's change, only while the token's version is current and the reader has not
 * left (a returning reader confirms again instead). A pause also cancels a digest already planned
 * but not yet sent, so "pause" means from now, not from tomorrow.
 */
export async function updatePreferences(
  pool: Pool,
  id: string,
  tokenVersion: number,
  change: PreferenceChange,
): Promise<Subscriber | null> {
  const result = await pool.query<Subscriber>(
    `WITH changed AS (
       UPDATE subscribers SET
         topics = coalesce($3, topics),
         timezone = coalesce($4, timezone),
         send_hour = coalesce($5, send_hour),
         paper_count = coalesce($6, paper_count),
         cadence = coalesce($8, cadence),
         weekday = coalesce($9, weekday),
         paused_until = CASE
           WHEN $7::int IS NULL THEN paused_until
           WHEN $7::int = 0 THEN NULL
           ELSE now() + make_interval(days => $7::int) END,
         updated_at = now()
       WHERE id = $1 AND token_version = $2 AND status IN ('pending', 'active')
       RETURNING *
     ), paused AS (
       UPDATE deliveries SET status = 'skipped', skip_reason = 'paused', updated_at = now()
       WHERE subscriber_id IN (SELECT id FROM changed WHERE paused_until > now())
         AND status IN ('planned', 'composed')
     )
     SELECT ${SUBSCRIBER_COLUMNS} FROM changed`,
    [
      id,
      tokenVersion,
      change.topics ?? null,
      change.timezone ?? null,
      change.sendHour ?? null,
      change.paperCount ?? null,
      change.pauseDays ?? null,
      change.cadence ?? null,
      change.weekday ?? null,
    ],
  );
  return result.rows[0] ?? null;
}

/**
 * "Sign out every link": bumps the token version, so every link issued before stops working.
 * Returns the new version, or null when the presented version was already stale.
 */
export async function revokeLinks(pool: Pool, id: string, tokenVersion: number): Promise<number | null> {
  const result = await pool.query<{ tokenVersion: number }>(
    `UPDATE subscribers SET token_version = token_version + 1, updated_at = now()
     WHERE id = $1 AND token_version = $2 RETURNING token_version AS "tokenVersion"`,
    [id, tokenVersion],
  );
  return result.rows[0]?.tokenVersion ?? null;
}
