import type { Pool } from './pool.ts';
import { emailHash, type Subscriber, type SubscriberStatus } from './subscribers.repository.ts';
import type { Suppression, SuppressionReason } from './suppressions.repository.ts';

/** What an operator sees of a reader in a list: everything but token and mailing bookkeeping. */
export type SubscriberSummary = Omit<Subscriber, 'tokenVersion' | 'confirmationSentAt'>;

export interface Page<T> {
  items: T[];
  /** Pass back as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface Cursor {
  createdAt: string;
  key: string;
}

// Opaque to callers; keyset pagination stays correct while rows are added between pages.
function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.key])).toString('base64url');
}

const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const CURSOR_KEYS = {
  subscribers: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  suppressions: /^[0-9a-f]{64}$/,
  bounces: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
} as const;

// JS rolls 31 February over to March; Postgres refuses it. Only a date that round-trips is real.
function isRealInstant(value: string): boolean {
  const millis = `${value.slice(0, 23)}Z`;
  const parsed = new Date(millis);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === millis;
}

/**
 * Null for anything that is not a cursor this module made for that list: a forged cursor must be
 * a 400 for the caller, never a type error inside Postgres.
 */
export function decodeCursor(raw: string, list: keyof typeof CURSOR_KEYS): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [createdAt, key] = value as unknown[];
    if (typeof createdAt !== 'string' || typeof key !== 'string') return null;
    if (!ISO_INSTANT.test(createdAt) || !isRealInstant(createdAt)) return null;
    return CURSOR_KEYS[list].test(key) ? { createdAt, key } : null;
  } catch {
    return null;
  }
}

// Microseconds, as Postgres keeps them: a millisecond cursor would skip rows made in the same millisecond.
export const cursorAt = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;
const CURSOR_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

export function pageOf<T>(
  rows: (T & { cursorAt: string })[],
  limit: number,
  key: (row: T) => string,
): Page<T> {
  const items = rows.slice(0, limit).map(({ cursorAt: _cursorAt, ...item }) => item as T);
  const last = rows[limit - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeCursor({ createdAt: last.cursorAt, key: key(last) }) : null,
  };
}

function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function listSubscribers(
  pool: Pool,
  filter: { status?: SubscriberStatus; search?: string; limit: number; after?: Cursor },
): Promise<Page<SubscriberSummary>> {
  const result = await pool.query<SubscriberSummary & { cursorAt: string }>(
    `SELECT ${CURSOR_AT}, id, email, status, topics, timezone, send_hour AS "sendHour", paper_count AS "paperCount",
       cadence, weekday, paused_until AS "pausedUntil", created_at AS "createdAt", confirmed_at AS "confirmedAt",
       unsubscribed_at AS "unsubscribedAt"
     FROM subscribers
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::text IS NULL OR email ILIKE $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $5`,
    [
      filter.status ?? null,
      filter.search ? likePattern(filter.search) : null,
      filter.after?.createdAt ?? null,
      filter.after?.key ?? null,
      filter.limit + 1,
    ],
  );
  return pageOf(result.rows, filter.limit, (row) => row.id);
}

export type StatusCounts = Record<SubscriberStatus, number> & { total: number; suppressed: number };

export async function countSubscribersByStatus(pool: Pool): Promise<StatusCounts> {
  const result = await pool.query<{ status: SubscriberStatus; count: number }>(
    'SELECT status, count(*) AS count FROM subscribers GROUP BY status',
  );
  const suppressed = await pool.query<{ count: number }>('SELECT count(*) AS count FROM suppressions');
  const counts: StatusCounts = { pending: 0, active: 0, unsubscribed: 0, total: 0, suppressed: 0 };
  for (const row of result.rows) {
    counts[row.status] = row.count;
    counts.total += row.count;
  }
  counts.suppressed = suppressed.rows[0]?.count ?? 0;
  return counts;
}

export async function listSuppressions(
  pool: Pool,
  filter: { reason?: SuppressionReason; email?: string; limit: number; after?: Cursor },
): Promise<Page<Suppression>> {
  const result = await pool.query<Suppression & { cursorAt: string }>(
    `SELECT ${CURSOR_AT}, email_hash AS "emailHash", reason, detail, created_at AS "createdAt",
       (SELECT reader_may_lift FROM suppression_reasons r WHERE r.reason = suppressions.reason) AS "readerMayLift"
     FROM suppressions
     WHERE ($1::text IS NULL OR reason = $1)
       AND ($2::text IS NULL OR email_hash = $2)
       AND ($3::timestamptz IS NULL OR (created_at, email_hash) < ($3::timestamptz, $4::text))
     ORDER BY created_at DESC, email_hash DESC
     LIMIT $5`,
    [
      filter.reason ?? null,
      filter.email ? emailHash(filter.email) : null,
      filter.after?.createdAt ?? null,
      filter.after?.key ?? null,
      filter.limit + 1,
    ],
  );
  return pageOf(result.rows, filter.limit, (row) => row.emailHash);
}
