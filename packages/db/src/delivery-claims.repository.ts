import type { Pool, PoolClient } from './pool.ts';

// The statements that run for every batch of the daily path are named: each connection parses and
// plans one once, then only binds and runs it. Unnamed, the claim cost Postgres ~300 µs of CPU per
// run before touching a row, the record of 250s ~165 µs; named, ~50 µs each (BENCHMARKS.md, issue 10).

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

export type ClaimManyRequest = Omit<ClaimRequest, 'deliveryId'> & { deliveryIds: readonly string[] };

/**
 * Moves deliveries `composed → sending` (or takes over an expired lease) in one statement that
 * checks each may be sent, so two mailers or a stalled job's retry never send one at once. The
 * sub-select locks the rows in id order (two mailers claiming overlapping batches never deadlock)
 * and hands back each status from before the update. One more read explains the rows not claimed.
 */
export async function claimDeliveries(
  db: Pool | PoolClient,
  request: ClaimManyRequest,
): Promise<Map<string, ClaimOutcome>> {
  const outcomes = new Map<string, ClaimOutcome>();
  if (request.deliveryIds.length === 0) return outcomes;
  const skip = request.onUncertain === 'skip';
  const result = await db.query<{
    id: string;
    previous: string;
    status: string;
    leaseUntil: Date | null;
    attempt: number;
  }>(
    // The rows are read and locked once, by id, in a CTE, and every condition is checked on what it
    // locked. As a subquery beside `d.edition_id IS NOT NULL`, with statistics taken while the
    // day's rows had no edition yet, the planner walked that index (1 row estimated, 8,000 found)
    // and ran the subquery again for each: 200 ms for a claim of 10 instead of 0.4.
    {
      name: 'claim-deliveries',
      text: `WITH before AS MATERIALIZED (
       SELECT id, status, edition_id FROM deliveries
       WHERE id = ANY($1::uuid[])
       ORDER BY id FOR UPDATE
     )
     UPDATE deliveries d SET
       status = CASE WHEN before.status = 'sending' AND $5 THEN 'uncertain' ELSE 'sending' END,
       lease_owner = CASE WHEN before.status = 'sending' AND $5 THEN NULL ELSE $2 END,
       lease_until = CASE WHEN before.status = 'sending' AND $5 THEN NULL
                          ELSE $3::timestamptz + make_interval(secs => $4) END,
       send_attempts = d.send_attempts + CASE WHEN before.status = 'sending' AND $5 THEN 0 ELSE 1 END,
       resent_after_crash = d.resent_after_crash + CASE WHEN before.status = 'sending' AND NOT $5 THEN 1 ELSE 0 END,
       updated_at = now()
     FROM before
     WHERE d.id = before.id
       AND before.edition_id IS NOT NULL
       AND (before.status = 'composed' OR (before.status = 'sending' AND d.lease_until <= $3::timestamptz))
     RETURNING d.id, before.status AS previous, d.status, d.lease_until AS "leaseUntil", d.send_attempts AS attempt`,
      values: [request.deliveryIds, request.owner, request.now.toISOString(), request.leaseSeconds, skip],
    },
  );
  for (const row of result.rows) {
    outcomes.set(
      row.id,
      row.status === 'uncertain'
        ? { kind: 'uncertain' }
        : {
            kind: row.previous === 'sending' ? 'resend' : 'claimed',
            leaseUntil: row.leaseUntil!,
            attempt: row.attempt,
          },
    );
  }
  const unclaimed = request.deliveryIds.filter((id) => !outcomes.has(id));
  if (unclaimed.length === 0) return outcomes;
  const current = await db.query<{ id: string; status: string; leaseUntil: Date | null }>(
    'SELECT id, status, lease_until AS "leaseUntil" FROM deliveries WHERE id = ANY($1::uuid[])',
    [unclaimed],
  );
  const found = new Map(current.rows.map((row) => [row.id, row]));
  for (const id of unclaimed) {
    const row = found.get(id);
    outcomes.set(
      id,
      row?.status === 'sending' && row.leaseUntil
        ? { kind: 'busy', leaseUntil: row.leaseUntil }
        : { kind: 'not-sendable', status: row?.status ?? 'gone' },
    );
  }
  return outcomes;
}

/** One delivery's claim: claimDeliveries for a batch of one. */
export async function claimDelivery(db: Pool | PoolClient, request: ClaimRequest): Promise<ClaimOutcome> {
  const { deliveryId, ...rest } = request;
  const outcomes = await claimDeliveries(db, { ...rest, deliveryIds: [deliveryId] });
  return outcomes.get(deliveryId)!;
}

/**
 * Records what SMTP's 250 established, for many deliveries in one statement. Whoever holds the
 * lease, and even if an operator's ON_UNCERTAIN=skip recorded a row `uncertain` meanwhile, the
 * truth is that it was sent.
 */
export async function recordSentMany(
  db: Pool | PoolClient,
  sent: readonly { deliveryId: string; messageId: string }[],
  sentAt: Date,
): Promise<void> {
  if (sent.length === 0) return;
  await db.query({
    name: 'record-sent',
    text: `UPDATE deliveries d SET status = 'sent', message_id = x.message_id, sent_at = $3, last_error = NULL,
       last_failure_class = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now()
     FROM unnest($1::uuid[], $2::text[]) AS x(id, message_id)
     WHERE d.id = x.id AND d.status IN ('sending', 'uncertain', 'composed')`,
    values: [
      sent.map((entry) => entry.deliveryId),
      sent.map((entry) => entry.messageId),
      sentAt.toISOString(),
    ],
  });
}

export async function recordSent(
  db: Pool | PoolClient,
  deliveryId: string,
  messageId: string,
  sentAt: Date,
): Promise<void> {
  await recordSentMany(db, [{ deliveryId, messageId }], sentAt);
}

/**
 * Gives claims back after failures that are about us or the server (auth, sender, size,
 * connection, 421, a greylisting 4xx): the deliveries wait, composed, to be tried again.
 */
export async function releaseClaims(
  db: Pool | PoolClient,
  owner: string,
  released: readonly { deliveryId: string; failure: { message: string; failureClass: string } }[],
): Promise<void> {
  if (released.length === 0) return;
  await db.query({
    name: 'release-claims',
    text: `UPDATE deliveries d SET status = 'composed', lease_owner = NULL, lease_until = NULL,
       last_error = x.message, last_failure_class = x.failure_class, updated_at = now()
     FROM unnest($1::uuid[], $3::text[], $4::text[]) AS x(id, message, failure_class)
     WHERE d.id = x.id AND d.status = 'sending' AND d.lease_owner = $2`,
    values: [
      released.map((entry) => entry.deliveryId),
      owner,
      released.map((entry) => entry.failure.message.slice(0, 2000)),
      released.map((entry) => entry.failure.failureClass),
    ],
  });
}

export async function releaseClaim(
  db: Pool | PoolClient,
  deliveryId: string,
  owner: string,
  failure: { message: string; failureClass: string },
): Promise<void> {
  await releaseClaims(db, owner, [{ deliveryId, failure }]);
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
