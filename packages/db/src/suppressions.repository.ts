import type { Pool, PoolClient } from './pool.ts';
import { emailHash } from './subscribers.repository.ts';

/**
 * Why an address is not mailed, strongest first (the order lives in `suppression_reasons`,
 * migration 055): complaint > hard-bounce > manual > unsubscribed > erased. The strongest reason an
 * address earned stays; nothing replaces it with a weaker one.
 */
export type SuppressionReason = 'unsubscribed' | 'hard-bounce' | 'complaint' | 'manual' | 'erased';

/** Who changed a suppression: recorded with every change. */
export type SuppressionActor = 'system' | 'reader' | 'admin';

export interface Suppression {
  emailHash: string;
  reason: SuppressionReason;
  detail: string | null;
  createdAt: Date;
  /** Only the reader's own reasons (unsubscribed, erased): a confirmed new sign-up lifts them. */
  readerMayLift: boolean;
}

export interface SuppressionEvent {
  action: 'suppressed' | 'strengthened' | 'lifted';
  reason: SuppressionReason;
  previousReason: SuppressionReason | null;
  actor: SuppressionActor;
  detail: string | null;
  createdAt: Date;
}

const SUPPRESSION_COLUMNS = `s.email_hash AS "emailHash", s.reason, s.detail, s.created_at AS "createdAt",
  r.reader_may_lift AS "readerMayLift"`;

/**
 * Suppresses an address, or strengthens its suppression; a weaker or equal reason changes nothing.
 * Returns the reason in force afterwards.
 */
export async function suppress(
  db: Pool | PoolClient,
  email: string,
  reason: SuppressionReason,
  detail: string | null = null,
  actor: SuppressionActor = 'system',
): Promise<SuppressionReason> {
  const result = await db.query<{ reason: SuppressionReason }>(
    'SELECT paperboy_suppress($1, $2, $3, $4) AS reason',
    [emailHash(email), reason, detail, actor],
  );
  return result.rows[0]!.reason;
}

export async function isSuppressed(db: Pool | PoolClient, email: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM suppressions WHERE email_hash = $1', [emailHash(email)]);
  return (result.rowCount ?? 0) > 0;
}

export async function findSuppression(db: Pool | PoolClient, email: string): Promise<Suppression | null> {
  return findSuppressionByHash(db, emailHash(email));
}

export async function findSuppressionByHash(
  db: Pool | PoolClient,
  hash: string,
): Promise<Suppression | null> {
  const result = await db.query<Suppression>(
    `SELECT ${SUPPRESSION_COLUMNS}
     FROM suppressions s JOIN suppression_reasons r USING (reason) WHERE s.email_hash = $1`,
    [hash],
  );
  return result.rows[0] ?? null;
}

/**
 * The admin API's lift: any reason, recorded with the operator's note. Returns the lifted reason,
 * or null when the address was not suppressed.
 */
export async function liftSuppression(
  pool: Pool,
  hash: string,
  note: string | null = null,
): Promise<SuppressionReason | null> {
  const result = await pool.query<{ reason: SuppressionReason | null }>(
    'SELECT paperboy_lift_suppression($1, $2, $3, false) AS reason',
    [hash, 'admin', note],
  );
  return result.rows[0]?.reason ?? null;
}

/** Every change to one address's suppression, newest first: who suppressed, strengthened, lifted. */
export async function suppressionHistory(pool: Pool, hash: string, limit = 100): Promise<SuppressionEvent[]> {
  const result = await pool.query<SuppressionEvent>(
    `SELECT action, reason, previous_reason AS "previousReason", actor, detail, created_at AS "createdAt"
     FROM suppression_events WHERE email_hash = $1 ORDER BY id DESC LIMIT $2`,
    [hash, limit],
  );
  return result.rows;
}
