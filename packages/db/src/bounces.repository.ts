import { type Cursor, cursorAt, type Page, pageOf } from './admin.repository.ts';
import { inTransaction, type Pool, type PoolClient } from './pool.ts';
import { emailHash } from './subscribers.repository.ts';
import { suppress } from './suppressions.repository.ts';

export type BounceKind = 'hard' | 'soft' | 'complaint' | 'other' | 'unparsed';
export type BounceSource = 'smtp' | 'webhook' | 'ses' | 'postmark';
export type BouncedMailKind = 'digest' | 'confirmation' | 'welcome' | 'notice';

/** Listmonk's proven policy: one hard bounce or one complaint suppresses; soft ones only when repeated. */
export const BOUNCE_POLICY = { softLimit: 3, softWindowDays: 7 } as const;

/** One bounce or complaint as the bounces service or a webhook understood it. */
export interface BounceReport {
  source: BounceSource;
  kind: BounceKind;
  /** The message it is about, from its signed VERP address (the links package's MailRef). */
  ref:
    | { kind: 'digest'; deliveryId: string }
    | { kind: 'confirmation' | 'welcome' | 'notice'; subscriberId: string }
    | null;
  /** The address the report names (Final-Recipient, the webhook's email); used when there is no ref. */
  recipient: string | null;
  status: string | null;
  action: string | null;
  diagnostic: string | null;
  /** The report itself, kept only when it could not be understood. */
  raw: string | null;
}

export interface RecordedBounce {
  id: string;
  kind: BounceKind;
  deliveryId: string | null;
  subscriberId: string | null;
  /** Whether this event suppressed the address (it may have been suppressed before). */
  suppressed: boolean;
}

// Reports come from strangers: PostgreSQL text cannot hold NUL, and nothing here needs to be long.
const cap = (value: string | null, length: number) =>
  value === null ? null : value.replaceAll('\u0000', '\ufffd').slice(0, length);

interface Target {
  deliveryId: string | null;
  subscriberId: string | null;
  email: string | null;
}

/** The delivery and reader a report is about: the signed reference wins over whatever address it names. */
async function resolveTarget(client: PoolClient, report: BounceReport): Promise<Target> {
  const ref = report.ref;
  if (ref?.kind === 'digest') {
    const { rows } = await client.query<Target>(
      `SELECT d.id AS "deliveryId", s.id AS "subscriberId", s.email
       FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id WHERE d.id = $1`,
      [ref.deliveryId],
    );
    if (rows[0]) return rows[0];
  } else if (ref) {
    const { rows } = await client.query<Target>(
      `SELECT NULL::uuid AS "deliveryId", id AS "subscriberId", email FROM subscribers WHERE id = $1`,
      [ref.subscriberId],
    );
    if (rows[0]) return rows[0];
  }
  if (ref === null && report.recipient) {
    const { rows } = await client.query<Target>(
      `SELECT NULL::uuid AS "deliveryId", id AS "subscriberId", email FROM subscribers WHERE lower(email) = lower($1)`,
      [report.recipient],
    );
    return rows[0] ?? { deliveryId: null, subscriberId: null, email: report.recipient };
  }
  // A signed reference to a reader who has since been erased: the event is kept, nobody to suppress.
  return { deliveryId: null, subscriberId: null, email: null };
}

/**
 * Stores one event and applies the policy in the same transaction. Events for one address are
 * serialised by an advisory lock, so three soft bounces arriving at once still count to three.
 */
export async function recordBounce(pool: Pool, report: BounceReport): Promise<RecordedBounce> {
  return inTransaction(pool, async (client) => {
    const target = await resolveTarget(client, report);
    const hash = target.email === null ? null : emailHash(target.email);
    if (hash !== null) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bounce:${hash}`]);
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO bounces (source, kind, mail_kind, delivery_id, subscriber_id, email_hash, status, action, diagnostic, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        report.source,
        report.kind,
        report.ref?.kind ?? null,
        target.deliveryId,
        target.subscriberId,
        hash,
        cap(report.status, 32),
        cap(report.action, 32),
        cap(report.diagnostic, 1000),
        cap(report.raw, 64 * 1024),
      ],
    );
    const id = inserted.rows[0]!.id;
    const reason = target.email === null ? null : await suppressionFor(client, report, hash!);
    if (reason !== null && target.email !== null) {
      await suppress(client, target.email, reason.reason, reason.detail);
      await client.query('UPDATE bounces SET suppressed = true WHERE id = $1', [id]);
    }
    return {
      id,
      kind: report.kind,
      deliveryId: target.deliveryId,
      subscriberId: target.subscriberId,
      suppressed: reason !== null,
    };
  });
}

async function suppressionFor(
  client: PoolClient,
  report: BounceReport,
  hash: string,
): Promise<{ reason: 'hard-bounce' | 'complaint'; detail: string } | null> {
  const what = [report.status, report.diagnostic].filter(Boolean).join(' ').slice(0, 400);
  if (report.kind === 'complaint') return { reason: 'complaint', detail: `complaint (${report.source})` };
  if (report.kind === 'hard') return { reason: 'hard-bounce', detail: `${report.source}: ${what}`.trim() };
  if (report.kind !== 'soft') return null;
  const { rows } = await client.query<{ count: number }>(
    `SELECT count(*) AS count FROM bounces
     WHERE email_hash = $1 AND kind = 'soft' AND received_at > now() - make_interval(days => $2)`,
    [hash, BOUNCE_POLICY.softWindowDays],
  );
  if ((rows[0]?.count ?? 0) < BOUNCE_POLICY.softLimit) return null;
  // Repeated temporary failures are treated as a bounce: the suppression list has no softer reason.
  return {
    reason: 'hard-bounce',
    detail:
      `${BOUNCE_POLICY.softLimit} soft bounces within ${BOUNCE_POLICY.softWindowDays} days; last: ${what}`.trim(),
  };
}

/** One event as an operator sees it, with the delivery it belongs to. */
export interface BounceListItem {
  id: string;
  source: BounceSource;
  kind: BounceKind;
  mailKind: BouncedMailKind | null;
  subscriberId: string | null;
  emailHash: string | null;
  status: string | null;
  action: string | null;
  diagnostic: string | null;
  raw: string | null;
  suppressed: boolean;
  receivedAt: Date;
  /** Built in SQL as JSON, so its instant is already an ISO string. */
  delivery: {
    id: string;
    localDate: string;
    status: string;
    messageId: string | null;
    sentAt: string | null;
  } | null;
}

export async function listBounces(
  pool: Pool,
  filter: { kind?: BounceKind; deliveryId?: string; limit: number; after?: Cursor },
): Promise<Page<BounceListItem>> {
  const result = await pool.query<BounceListItem & { cursorAt: string }>(
    `SELECT ${cursorAt('b.received_at')}, b.id, b.source, b.kind, b.mail_kind AS "mailKind",
       b.subscriber_id AS "subscriberId", b.email_hash AS "emailHash", b.status, b.action, b.diagnostic,
       b.raw, b.suppressed, b.received_at AS "receivedAt",
       CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'localDate', d.local_date,
         'status', d.status, 'messageId', d.message_id, 'sentAt', d.sent_at) END AS delivery
     FROM bounces b LEFT JOIN deliveries d ON d.id = b.delivery_id
     WHERE ($1::text IS NULL OR b.kind = $1)
       AND ($2::uuid IS NULL OR b.delivery_id = $2)
       AND ($3::timestamptz IS NULL OR (b.received_at, b.id) < ($3::timestamptz, $4::uuid))
     ORDER BY b.received_at DESC, b.id DESC
     LIMIT $5`,
    [
      filter.kind ?? null,
      filter.deliveryId ?? null,
      filter.after?.createdAt ?? null,
      filter.after?.key ?? null,
      filter.limit + 1,
    ],
  );
  return pageOf(result.rows, filter.limit, (row) => row.id);
}
