import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from './pool.ts';

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed';
export type Cadence = 'daily' | 'weekly';

export interface Subscriber {
  id: string;
  email: string;
  status: SubscriberStatus;
  topics: string[];
  timezone: string;
  sendHour: number;
  paperCount: number;
  cadence: Cadence;
  /** ISO weekday of a weekly digest: 1 = Monday … 7 = Sunday (kept, unused, while daily). */
  weekday: number;
  tokenVersion: number;
  pausedUntil: Date | null;
  confirmationSentAt: Date | null;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  createdAt: Date;
}

export interface Preferences {
  topics: string[];
  timezone: string;
  sendHour: number;
  paperCount: number;
  /** Absent = daily. */
  cadence?: Cadence;
  /** ISO weekday of a weekly digest, 1 = Monday … 7 = Sunday; absent = 1. */
  weekday?: number;
}

/** The suppression key: the whole list can be kept after a reader's row is erased. */
export function emailHash(normalisedEmail: string): string {
  return createHash('sha256').update(normalisedEmail.toLowerCase()).digest('hex');
}

export const SUBSCRIBER_COLUMNS = `id, email, status, topics, timezone, send_hour AS "sendHour", paper_count AS "paperCount",
  cadence, weekday, token_version AS "tokenVersion", paused_until AS "pausedUntil", confirmation_sent_at AS "confirmationSentAt",
  confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt", created_at AS "createdAt"`;

export async function findSubscriber(db: Pool | PoolClient, id: string): Promise<Subscriber | null> {
  const result = await db.query<Subscriber>(`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE id = $1`, [
    id,
  ]);
  return result.rows[0] ?? null;
}

export async function findSubscriberByEmail(
  db: Pool | PoolClient,
  email: string,
): Promise<Subscriber | null> {
  const result = await db.query<Subscriber>(
    `SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE lower(email) = lower($1)`,
    [email],
  );
  return result.rows[0] ?? null;
}

export interface SignupOutcome {
  subscriberId: string;
  /** False when the address is already active or a confirmation went out too recently. */
  sendConfirmation: boolean;
}

/** One sign-up as recordSignups takes it: the canonical address and its preferences. */
export interface SignupRow {
  email: string;
  preferences: Preferences;
}

/**
 * Records a sign-up. New and unsubscribed addresses become pending (a returning reader confirms
 * again); a pending one keeps its row and gets its preferences refreshed; an active one is left
 * alone. One statement, so two racing sign-ups of one address cannot create two rows.
 */
export async function recordSignup(
  pool: Pool,
  email: string,
  preferences: Preferences,
  resendAfterSeconds: number,
): Promise<SignupOutcome> {
  const [outcome] = await recordSignups(pool, [{ email, preferences }], resendAfterSeconds);
  return outcome!;
}

/**
 * Records many sign-ups in one statement (the api's group commit), with recordSignup's rules for
 * each; outcomes come back in the order given. The statement either commits every row or none.
 *
 * One statement may not touch a row twice, so sign-ups of one address (in any letter case) are
 * merged first into what the same sign-ups one after another would leave: the first spelling
 * (the one a new row is created with) and the last preferences (the pending row's refresh); they
 * share one outcome. Rows go in address order, so two batches racing on the same addresses (two
 * api replicas) take their locks in one order and cannot deadlock.
 */
export async function recordSignups(
  pool: Pool,
  signups: readonly SignupRow[],
  resendAfterSeconds: number,
): Promise<SignupOutcome[]> {
  const merged = new Map<string, { email: string; preferences: Preferences }>();
  for (const { email, preferences } of signups) {
    const key = email.toLowerCase();
    const first = merged.get(key);
    merged.set(key, { email: first?.email ?? email, preferences });
  }
  const rows = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { email, preferences }]) => ({
      email,
      email_hash: emailHash(email),
      topics: preferences.topics,
      timezone: preferences.timezone,
      send_hour: preferences.sendHour,
      paper_count: preferences.paperCount,
      cadence: preferences.cadence ?? 'daily',
      weekday: preferences.weekday ?? 1,
    }));
  // Named, so each connection parses and plans it once, not once per group of the api's group
  // commit: at 25 sign-ups a group that was about a quarter of Postgres's CPU per sign-up.
  const result = await pool.query<{ key: string; id: string; send: boolean }>({
    name: 'record-signups',
    text: `INSERT INTO subscribers AS s (email, email_hash, status, topics, timezone, send_hour, paper_count,
       cadence, weekday)
     SELECT r.email, r.email_hash, 'pending', r.topics, r.timezone, r.send_hour, r.paper_count, r.cadence, r.weekday
     FROM jsonb_to_recordset($1::jsonb) AS r(email text, email_hash text, topics text[], timezone text,
       send_hour smallint, paper_count smallint, cadence text, weekday smallint)
     ORDER BY lower(r.email)
     ON CONFLICT ((lower(email))) DO UPDATE SET
       status = CASE WHEN s.status = 'active' THEN 'active' ELSE 'pending' END,
       topics = CASE WHEN s.status = 'active' THEN s.topics ELSE excluded.topics END,
       timezone = CASE WHEN s.status = 'active' THEN s.timezone ELSE excluded.timezone END,
       send_hour = CASE WHEN s.status = 'active' THEN s.send_hour ELSE excluded.send_hour END,
       paper_count = CASE WHEN s.status = 'active' THEN s.paper_count ELSE excluded.paper_count END,
       cadence = CASE WHEN s.status = 'active' THEN s.cadence ELSE excluded.cadence END,
       weekday = CASE WHEN s.status = 'active' THEN s.weekday ELSE excluded.weekday END,
       unsubscribed_at = CASE WHEN s.status = 'active' THEN s.unsubscribed_at ELSE NULL END,
       -- A reader who left and comes back starts with fresh links: confirmation mails from before
       -- they left stop working.
       token_version = CASE WHEN s.status = 'unsubscribed' THEN s.token_version + 1 ELSE s.token_version END,
       updated_at = now()
     RETURNING lower(email) AS key, id,
       status = 'pending' AND (confirmation_sent_at IS NULL
         OR confirmation_sent_at < now() - make_interval(secs => $2)) AS send`,
    values: [JSON.stringify(rows), resendAfterSeconds],
  });
  const outcomes = new Map<string, SignupOutcome>();
  for (const row of result.rows) outcomes.set(row.key, { subscriberId: row.id, sendConfirmation: row.send });
  return signups.map(({ email }) => {
    const outcome = outcomes.get(email.toLowerCase());
    if (!outcome) throw new Error(`sign-up of ${email} returned no row`);
    return outcome;
  });
}

/**
 * Claims the right to send a confirmation now; false when one went out within the interval, so
 * repeated sign-ups (or retried jobs) cannot flood an inbox.
 */
export async function claimConfirmationSend(
  pool: Pool,
  id: string,
  resendAfterSeconds: number,
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE subscribers SET confirmation_sent_at = now()
     WHERE id = $1 AND status = 'pending'
       AND (confirmation_sent_at IS NULL OR confirmation_sent_at < now() - make_interval(secs => $2))`,
    [id, resendAfterSeconds],
  );
  return result.rowCount === 1;
}

/** Gives a claim back after the send failed, so the retry (or the next sign-up) can send. */
export async function releaseConfirmationClaim(pool: Pool, id: string): Promise<void> {
  await pool.query('UPDATE subscribers SET confirmation_sent_at = NULL WHERE id = $1', [id]);
}

/**
 * Activates a pending reader. Confirming proves consent anew, so it lifts the reader's own
 * suppressions of the address (unsubscribed, erased) and records that; a complaint, hard bounce or
 * operator block stays (only the admin API lifts those), so the reader is active but not mailed.
 */
export async function confirmSubscriber(
  pool: Pool,
  id: string,
  tokenVersion: number,
): Promise<(Subscriber & { newlyActive: boolean }) | null> {
  // The outer SELECT sees the row as it was before the UPDATE (one snapshot per statement), which
  // tells a first confirmation (welcome mail) from a repeated click.
  const result = await pool.query<Subscriber & { newlyActive: boolean }>(
    `WITH confirmed AS (
       UPDATE subscribers SET status = 'active', confirmed_at = coalesce(confirmed_at, now()), updated_at = now()
       WHERE id = $1 AND token_version = $2 AND status IN ('pending', 'active')
       RETURNING *
     ), lifted AS (
       SELECT paperboy_lift_suppression(email_hash, 'reader', 'confirmed a new sign-up', true) AS reason
       FROM confirmed
     )
     -- A SELECT in WITH runs only as far as the main query reads it: reading "lifted" makes it run.
     SELECT ${SUBSCRIBER_COLUMNS}, (SELECT s.status FROM subscribers s WHERE s.id = $1) = 'pending' AS "newlyActive"
     FROM confirmed WHERE (SELECT count(*) FROM lifted) >= 0`,
    [id, tokenVersion],
  );
  return result.rows[0] ?? null;
}

/**
 * Unsubscribes at once: the row, the suppression list and any digest planned but not yet sent,
 * so the very next plan and send both honour it. The unsubscribe link must keep working for as
 * long as a mail can be read, so no token version is checked here: "sign out all links" does not
 * reach it. 'gone' = the reader erased their data (the address stays suppressed by its hash).
 */
export async function unsubscribe(pool: Pool, id: string): Promise<'unsubscribed' | 'gone'> {
  const result = await pool.query(
    `WITH left_list AS (
       UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = coalesce(unsubscribed_at, now()),
         updated_at = now()
       WHERE id = $1
       RETURNING id, email_hash
     ), suppressed AS (
       SELECT paperboy_suppress(email_hash, 'unsubscribed', NULL, 'reader') AS reason FROM left_list
     ), cancelled AS (
       UPDATE deliveries SET status = 'skipped', skip_reason = 'unsubscribed', updated_at = now()
       WHERE subscriber_id IN (SELECT id FROM left_list) AND status IN ('planned', 'composed')
     )
     -- A SELECT in WITH runs only as far as the main query reads it: reading "suppressed" makes it run.
     SELECT id FROM left_list WHERE (SELECT count(*) FROM suppressed) >= 0`,
    [id],
  );
  return result.rowCount === 1 ? 'unsubscribed' : 'gone';
}
