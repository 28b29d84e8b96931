import type { Pool, PoolClient } from './pool.ts';

/**
 * What a claim found. `claimed`: this mailer holds the lease and sends. `resend`: the previous
 * holder's lease expired in `sending` (it died between claim and record), so the outcome is unknown
 * and this mailer sends again with the same Message-ID. `uncertain`: the same, under
 * ON_UNCERTAIN=skip, recorded instead of sent. `busy`: someone else's lease is still running.
 * `not-sendable`: already sent, failed, expired, skipped, or not composed.
 */
export type ClaimOutcome =
  | { kind: 'claimed' | 'resend'; leaseUntil: Date; attempt: number }
  | { kind: 'uncertain' }
  | { kind: 'busy'; leaseUntil: Date }
  | { kind: 'not-sendable'; status: string };

export interface ClaimRequest {
  deliveryId: string;
  /** Who sends: the mailer instance's id, kept on the row for operators. */
  owner: string;
  /** The process clock's now, never the database's: leases and expiry follow one clock. */
  now: Date;
  leaseSeconds: number;
  onUncertain: 'resend' | 'skip';
}

/**
 * Moves a delivery `composed → sending` (or takes over an expired lease) in one statement that
 * checks it may be sent, so two mailers or a stalled job's retry never send it at once. The
 * sub-select locks the row and hands back its status from before the update.
 */
export async function claimDelivery(db: Pool | PoolClient, request: ClaimRequest): Promise<ClaimOutcome> {
  const skip = request.onUncertain === 'skip';
  const result = await db.query<{
    previous: string;
    status: string;
    leaseUntil: Date | null;
    attempt: number;
  }>(
    `UPDATE deliveries d SET
       status = CASE WHEN before.status = 'sending' AND $5 THEN 'uncertain' ELSE 'sending' END,
       lease_owner = CASE WHEN before.status = 'sending' AND $5 THEN NULL ELSE $2 END,
       lease_until = CASE WHEN before.status = 'sending' AND $5 THEN NULL
                          ELSE $3::timestamptz + make_interval(secs => $4) END,
       send_attempts = d.send_attempts + CASE WHEN before.status = 'sending' AND $5 THEN 0 ELSE 1 END,
       resent_after_crash = d.resent_after_crash + CASE WHEN before.status = 'sending' AND NOT $5 THEN 1 ELSE 0 END,
       updated_at = now()
     FROM (SELECT id, status FROM deliveries WHERE id = $1 FOR UPDATE) AS before
     WHERE d.id = before.id
       AND d.edition_id IS NOT NULL
       AND (before.status = 'composed' OR (before.status = 'sending' AND d.lease_until <= $3::timestamptz))
     RETURNING before.status AS previous, d.status, d.lease_until AS "leaseUntil", d.send_attempts AS attempt`,
    [request.deliveryId, request.owner, request.now.toISOString(), request.leaseSeconds, skip],
  );
  const row = result.rows[0];
  if (row) {
    if (row.status === 'uncertain') return { kind: 'uncertain' };
    return {
      kind: row.previous === 'sending' ? 'resend' : 'claimed',
      leaseUntil: row.leaseUntil!,
      attempt: row.attempt,
    };
  }
  const current = await db.query<{ status: string; leaseUntil: Date | null }>(
    'SELECT status, lease_until AS "leaseUntil" FROM deliveries WHERE id = $1',
    [request.deliveryId],
  );
  const found = current.rows[0];
  if (found?.status === 'sending' && found.leaseUntil) return { kind: 'busy', leaseUntil: found.leaseUntil };
  return { kind: 'not-sendable', status: found?.status ?? 'gone' };
}

/**
 * Records what SMTP's 250 established. Whoever holds the lease, and even if an operator's
 * ON_UNCERTAIN=skip recorded the row `uncertain` meanwhile, the truth is that it was sent.
 */
export async function recordSent(
  db: Pool | PoolClient,
  deliveryId: string,
  messageId: string,
  sentAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'sent', message_id = $2, sent_at = $3, last_error = NULL,
       last_failure_class = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('sending', 'uncertain', 'composed')`,
    [deliveryId, messageId, sentAt.toISOString()],
  );
}

/**
 * Gives the claim back after a failure that is about us or the server (auth, sender, size,
 * connection, 421, a greylisting 4xx): the delivery waits, composed, to be tried again.
 */
export async function releaseClaim(
  db: Pool | PoolClient,
  deliveryId: string,
  owner: string,
  failure: { message: string; failureClass: string },
): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'composed', lease_owner = NULL, lease_until = NULL, last_error = $3,
       last_failure_class = $4, updated_at = now()
     WHERE id = $1 AND status = 'sending' AND lease_owner = $2`,
    [deliveryId, owner, failure.message.slice(0, 2000), failure.failureClass],
  );
}

/** A recipient's permanent rejection: this delivery is failed for good (the address is suppressed). */
export async function recordRecipientFailure(
  db: Pool | PoolClient,
  deliveryId: string,
  message: string,
): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'failed', last_error = $2, last_failure_class = 'recipient',
       lease_owner = NULL, lease_until = NULL, updated_at = now()
     WHERE id = $1 AND status = 'sending'`,
    [deliveryId, message.slice(0, 2000)],
  );
}

/**
 * The reader's local day passed without a send: `expired`, never sent a day late. A delivery in
 * `sending` whose lease ran out may have gone out before its mailer died; past its day it is not
 * sent again but recorded `uncertain`. Returns the status written, or null if nothing changed.
 */
export async function expireDelivery(
  db: Pool | PoolClient,
  deliveryId: string,
  now: Date,
): Promise<'expired' | 'uncertain' | null> {
  const result = await db.query<{ status: 'expired' | 'uncertain' }>(
    `UPDATE deliveries SET status = CASE WHEN status = 'sending' THEN 'uncertain' ELSE 'expired' END,
       expired_at = $2, lease_owner = NULL, lease_until = NULL, updated_at = now()
     WHERE id = $1
       AND (status IN ('planned', 'composed') OR (status = 'sending' AND lease_until <= $2::timestamptz))
     RETURNING status`,
    [deliveryId, now.toISOString()],
  );
  return result.rows[0]?.status ?? null;
}
