import { inTransaction, type Pool } from './pool.ts';
import { SUBSCRIBER_COLUMNS, type Subscriber } from './subscribers.repository.ts';

/** sha256 of the lower-cased address, in SQL: the same key as emailHash() and the suppression list. */
const HASH_OF = (column: string) => `encode(sha256(convert_to(lower(${column}), 'UTF8')), 'hex')`;

/**
 * Records a reader's wish to move their digests to `newEmail` and returns the request's id, or
 * null when the manage token is stale or the reader is not active. A new request replaces an open
 * one under a fresh id, so the older confirmation link stops working; when the last confirmation
 * mail went out is kept, so replacing requests cannot make us mail address after address.
 * Whether the new address is free or suppressed is not checked here: the answer must not tell.
 */
export async function requestAddressChange(
  pool: Pool,
  subscriberId: string,
  tokenVersion: number,
  newEmail: string,
  ttlHours: number,
): Promise<string | null> {
  const result = await pool.query<{ id: string }>(
    `INSERT INTO address_changes AS c (subscriber_id, new_email, expires_at)
     SELECT id, $3, now() + make_interval(hours => $4) FROM subscribers
     WHERE id = $1 AND token_version = $2 AND status = 'active'
     ON CONFLICT (subscriber_id) DO UPDATE SET id = gen_random_uuid(), new_email = excluded.new_email,
       requested_at = now(), expires_at = excluded.expires_at, confirmed_at = NULL, old_email = NULL
     RETURNING id`,
    [subscriberId, tokenVersion, newEmail, ttlHours],
  );
  return result.rows[0]?.id ?? null;
}

export interface AddressConfirmationToSend {
  changeId: string;
  subscriberId: string;
  tokenVersion: number;
  newEmail: string;
  expiresAt: Date;
}

/**
 * Claims the right to mail the confirmation link to the new address now, or null when no mail
 * may go: the request is gone, replaced, confirmed or expired; the reader left; the address
 * belongs to another reader; the address is suppressed (for any reason: a bounce, a complaint,
 * an unsubscribe or an erasure of that address all mean "do not mail it"); or a confirmation
 * went to this reader within the resend interval.
 */
export async function claimAddressConfirmation(
  pool: Pool,
  changeId: string,
  resendAfterSeconds: number,
): Promise<AddressConfirmationToSend | null> {
  const result = await pool.query<AddressConfirmationToSend>(
    `UPDATE address_changes c SET mail_sent_at = now()
     FROM subscribers s
     WHERE c.id = $1 AND s.id = c.subscriber_id AND s.status = 'active'
       AND c.confirmed_at IS NULL AND c.expires_at > now()
       AND (c.mail_sent_at IS NULL OR c.mail_sent_at < now() - make_interval(secs => $2))
       AND NOT EXISTS (SELECT 1 FROM subscribers o WHERE lower(o.email) = lower(c.new_email) AND o.id <> s.id)
       AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = ${HASH_OF('c.new_email')})
     RETURNING c.id AS "changeId", s.id AS "subscriberId", s.token_version AS "tokenVersion",
       c.new_email AS "newEmail", c.expires_at AS "expiresAt"`,
    [changeId, resendAfterSeconds],
  );
  return result.rows[0] ?? null;
}

/** Gives the claim back after the mail failed to go, so the retry can send. */
export async function releaseAddressConfirmation(pool: Pool, changeId: string): Promise<void> {
  await pool.query('UPDATE address_changes SET mail_sent_at = NULL WHERE id = $1', [changeId]);
}

/** An open request as the preference centre shows it. */
export async function findPendingAddressChange(
  pool: Pool,
  subscriberId: string,
): Promise<{ newEmail: string; expiresAt: Date } | null> {
  const result = await pool.query<{ newEmail: string; expiresAt: Date }>(
    `SELECT new_email AS "newEmail", expires_at AS "expiresAt" FROM address_changes
     WHERE subscriber_id = $1 AND confirmed_at IS NULL AND expires_at > now()`,
    [subscriberId],
  );
  return result.rows[0] ?? null;
}

/** The new address an unexpired, unconfirmed request names, for the confirmation page. */
export async function findOpenAddressChange(
  pool: Pool,
  changeId: string,
  subscriberId: string,
): Promise<{ newEmail: string } | null> {
  const result = await pool.query<{ newEmail: string }>(
    `SELECT new_email AS "newEmail" FROM address_changes
     WHERE id = $1 AND subscriber_id = $2 AND confirmed_at IS NULL AND expires_at > now()`,
    [changeId, subscriberId],
  );
  return result.rows[0] ?? null;
}

/**
 * Moves the reader to the new address, if the request is still open, the link's token version
 * current, the address still free and not suppressed. Every link issued before stops working
 * (token version bumped): they were sent to the old address. Returns the reader as they are now,
 * or null for anything that is not a valid confirmation, a racing owner of the address included.
 */
export async function confirmAddressChange(
  pool: Pool,
  changeId: string,
  subscriberId: string,
  tokenVersion: number,
): Promise<Subscriber | null> {
  try {
    return await inTransaction(pool, async (client) => {
      const open = await client.query<{ newEmail: string; oldEmail: string }>(
        `SELECT c.new_email AS "newEmail", s.email AS "oldEmail"
         FROM address_changes c JOIN subscribers s ON s.id = c.subscriber_id
         WHERE c.id = $1 AND c.subscriber_id = $2 AND s.token_version = $3 AND s.status = 'active'
           AND c.confirmed_at IS NULL AND c.expires_at > now()
           AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = ${HASH_OF('c.new_email')})
         FOR UPDATE OF c, s`,
        [changeId, subscriberId, tokenVersion],
      );
      const change = open.rows[0];
      if (!change) return null;
      const moved = await client.query<Subscriber>(
        `UPDATE subscribers SET email = $2, email_hash = ${HASH_OF('$2')}, token_version = token_version + 1,
           updated_at = now()
         WHERE id = $1 RETURNING ${SUBSCRIBER_COLUMNS}`,
        [subscriberId, change.newEmail],
      );
      await client.query('UPDATE address_changes SET confirmed_at = now(), old_email = $2 WHERE id = $1', [
        changeId,
        change.oldEmail,
      ]);
      return moved.rows[0] ?? null;
    });
  } catch (error) {
    // Another reader took the address between request and confirmation: the unique index says no.
    if ((error as { code?: string }).code === '23505') return null;
    throw error;
  }
}

/**
 * Takes the old address of a confirmed change for its one notice: the address is cleared as it
 * is taken (it is no longer the reader's and need not be kept), so a retried job finds nothing.
 */
export async function takeAddressNotice(
  pool: Pool,
  changeId: string,
): Promise<{ subscriberId: string; oldEmail: string; newEmail: string } | null> {
  const result = await pool.query<{ subscriberId: string; oldEmail: string; newEmail: string }>(
    `WITH taken AS (
       SELECT id, subscriber_id, old_email, new_email FROM address_changes
       WHERE id = $1 AND confirmed_at IS NOT NULL AND old_email IS NOT NULL FOR UPDATE
     )
     UPDATE address_changes c SET old_email = NULL FROM taken WHERE c.id = taken.id
     RETURNING taken.subscriber_id AS "subscriberId", taken.old_email AS "oldEmail",
       taken.new_email AS "newEmail"`,
    [changeId],
  );
  return result.rows[0] ?? null;
}

/** Puts the old address back after the notice failed to go, so the retry can send it. */
export async function returnAddressNotice(pool: Pool, changeId: string, oldEmail: string): Promise<void> {
  await pool.query('UPDATE address_changes SET old_email = $2 WHERE id = $1 AND old_email IS NULL', [
    changeId,
    oldEmail,
  ]);
}
