import { readerIsDueSql } from './cadence.sql.ts';
import type { Pool, PoolClient } from './pool.ts';
import type { Cadence } from './subscribers.repository.ts';

export type DeliveryStatus =
  | 'planned'
  | 'composed'
  | 'sending'
  | 'sent'
  | 'skipped'
  | 'failed'
  | 'expired'
  | 'uncertain';

/** Every status, in the order a delivery moves through them; SQL and the admin API use these names. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'planned',
  'composed',
  'sending',
  'sent',
  'skipped',
  'failed',
  'expired',
  'uncertain',
];

export interface Delivery {
  id: string;
  subscriberId: string;
  localDate: string;
  status: DeliveryStatus;
  editionId: string | null;
  messageId: string | null;
  skipReason: string | null;
  lastError: string | null;
  sendAttempts: number;
}

/**
 * Creates today's delivery row for every active, unsuppressed, unpaused reader whose digest is due
 * (cadence.sql.ts: their local send hour has come, and for weekly readers it is their weekday; or
 * everyone, with ignoreSendHour) and returns only the rows this call created: the unique
 * (subscriber, local date), and for weekly readers (subscriber, local week), make racing
 * planners create each row once.
 */
export async function planDueDeliveries(
  pool: Pool,
  now: Date,
  options: { ignoreSendHour: boolean },
): Promise<string[]> {
  const result = await pool.query<{ id: string }>(
    // A zone Postgres does not know would make AT TIME ZONE fail the whole statement, stopping
    // everyone's digest for one bad row; the materialised CTE keeps such rows out before any
    // zone arithmetic runs.
    `WITH eligible AS MATERIALIZED (
       SELECT s.id, s.timezone, s.send_hour, s.cadence, s.weekday
       FROM subscribers s
       WHERE s.status = 'active'
         AND (s.paused_until IS NULL OR s.paused_until <= $1)
         AND s.timezone IN (SELECT name FROM pg_timezone_names)
         AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = s.email_hash)
     )
     INSERT INTO deliveries (subscriber_id, local_date, cadence)
     SELECT e.id, local.at::date, e.cadence
     FROM eligible e CROSS JOIN LATERAL (SELECT $1::timestamptz AT TIME ZONE e.timezone AS at) AS local
     WHERE ${readerIsDueSql('e', 'local.at', '$2')}
     -- No conflict target: either key (the local day, or a weekly reader's local week) stops a row.
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [now.toISOString(), options.ignoreSendHour],
  );
  return result.rows.map((row) => row.id);
}

export async function markSkipped(db: Pool | PoolClient, id: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'skipped', skip_reason = $2, updated_at = now()
     WHERE id = $1 AND status IN ('planned', 'composed')`,
    [id, reason],
  );
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

/** Deliveries planned since a moment, by status: what `paperboy digest run-now` reports. */
export async function countDeliveriesPlannedSince(pool: Pool, since: Date): Promise<DeliveryCounts> {
  const result = await pool.query<{ status: DeliveryStatus; count: number }>(
    'SELECT status, count(*) AS count FROM deliveries WHERE planned_at >= $1 GROUP BY status',
    [since.toISOString()],
  );
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as DeliveryCounts;
  for (const row of result.rows) counts[row.status] = row.count;
  return counts;
}

/** A planned delivery a compose batch holds, with what composing it needs to know of its reader. */
export interface ComposableDelivery {
  id: string;
  subscriberId: string;
  localDate: string;
  readerStatus: string;
  topics: string[];
  paperCount: number;
  /** The cadence the delivery was planned with: a weekly digest looks back over the week. */
  cadence: Cadence;
}

/**
 * Locks the batch's deliveries that still wait to be composed, for the rest of the transaction.
 * SKIP LOCKED: a duplicated or overlapping batch leaves rows another composer holds to that
 * composer (which sends them, or fails and is retried) instead of queueing behind it.
 */
export async function lockPlannedDeliveries(
  client: PoolClient,
  ids: string[],
): Promise<ComposableDelivery[]> {
  const result = await client.query<ComposableDelivery>(
    `SELECT d.id, d.subscriber_id AS "subscriberId", d.local_date AS "localDate", s.status AS "readerStatus",
            s.topics, s.paper_count AS "paperCount", d.cadence
     FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
     WHERE d.id = ANY($1::uuid[]) AND d.status = 'planned'
     ORDER BY d.local_date, d.id
     FOR UPDATE OF d SKIP LOCKED`,
    [ids],
  );
  return result.rows;
}

/** Of these deliveries, the ones already composed: a retried batch queues their sends again. */
export async function findComposedDeliveries(db: Pool | PoolClient, ids: string[]): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'composed' AND edition_id IS NOT NULL`,
    [ids],
  );
  return result.rows.map((row) => row.id);
}

/** A text[] as a Postgres array literal: every element quoted, so commas and braces in topics are safe. */
function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * Records many readers' selections in one INSERT. Columns travel as parallel arrays (unnest):
 * much cheaper for Postgres to read than a JSON document of one object per row, and for the worker
 * to write. Matched topics differ in number per row, so each row's list is an array literal.
 */
export async function recordSelections(
  client: PoolClient,
  selections: {
    deliveryId: string;
    subscriberId: string;
    papers: { id: string; matchedTopics: string[] }[];
  }[],
): Promise<void> {
  const deliveryIds: string[] = [];
  const subscriberIds: string[] = [];
  const paperIds: string[] = [];
  const positions: number[] = [];
  const matchedTopics: string[] = [];
  for (const selection of selections) {
    selection.papers.forEach((paper, index) => {
      deliveryIds.push(selection.deliveryId);
      subscriberIds.push(selection.subscriberId);
      paperIds.push(paper.id);
      positions.push(index + 1);
      matchedTopics.push(textArrayLiteral(paper.matchedTopics));
    });
  }
  if (paperIds.length === 0) return;
  await client.query(
    `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position, matched_topics)
     SELECT paper.delivery_id, paper.subscriber_id, paper.id, paper.position, paper.matched_topics::text[]
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[])
          AS paper(delivery_id, subscriber_id, id, position, matched_topics)`,
    [deliveryIds, subscriberIds, paperIds, positions, matchedTopics],
  );
}

/**
 * Marks many deliveries composed, each with its edition, in one UPDATE, naming the send job that
 * will carry them (recovery looks it up by that id).
 */
export async function markManyComposed(
  client: PoolClient,
  composed: { deliveryId: string; editionId: string }[],
  sendJob: string | null = null,
): Promise<void> {
  if (composed.length === 0) return;
  await client.query(
    `UPDATE deliveries d SET status = 'composed', edition_id = x.edition_id, send_job = $3,
       composed_at = now(), updated_at = now()
     FROM unnest($1::uuid[], $2::text[]) AS x(id, edition_id)
     WHERE d.id = x.id`,
    [composed.map((entry) => entry.deliveryId), composed.map((entry) => entry.editionId), sendJob],
  );
}

/** Marks many deliveries skipped for one reason in one UPDATE. */
export async function markManySkipped(db: Pool | PoolClient, ids: string[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE deliveries SET status = 'skipped', skip_reason = $2, updated_at = now()
     WHERE id = ANY($1::uuid[]) AND status IN ('planned', 'composed')`,
    [ids, reason],
  );
}

/** What sending a digest needs to know, read in one round trip. */
export interface DigestToSend {
  delivery: Pick<Delivery, 'id' | 'status' | 'editionId' | 'localDate'> & { leaseUntil: Date | null };
  reader: {
    id: string;
    email: string;
    status: string;
    tokenVersion: number;
    suppressed: boolean;
    timezone: string;
  } | null;
}

/**
 * Deliveries with their readers and whether each reader's address is suppressed, in one statement
 * for a whole send batch. Suppression is matched on the reader's stored email_hash, as planning and
 * unsubscribing do, so the list means the same thing everywhere. Missing ids are simply absent.
 */
export async function findDigestsToSend(
  db: Pool | PoolClient,
  ids: readonly string[],
): Promise<Map<string, DigestToSend>> {
  const result = await db.query<{
    id: string;
    status: DeliveryStatus;
    editionId: string | null;
    localDate: string;
    leaseUntil: Date | null;
    readerId: string | null;
    timezone: string | null;
    email: string | null;
    readerStatus: string | null;
    tokenVersion: number | null;
    suppressed: boolean;
  }>(
    `SELECT d.id, d.status, d.edition_id AS "editionId", d.local_date AS "localDate",
            d.lease_until AS "leaseUntil", s.id AS "readerId", s.email, s.timezone,
            s.status AS "readerStatus", s.token_version AS "tokenVersion",
            EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = s.email_hash) AS suppressed
     FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
     WHERE d.id = ANY($1::uuid[])`,
    [ids],
  );
  const found = new Map<string, DigestToSend>();
  for (const row of result.rows) {
    found.set(row.id, {
      delivery: {
        id: row.id,
        status: row.status,
        editionId: row.editionId,
        localDate: row.localDate,
        leaseUntil: row.leaseUntil,
      },
      reader:
        row.readerId === null
          ? null
          : {
              id: row.readerId,
              email: row.email!,
              status: row.readerStatus!,
              tokenVersion: row.tokenVersion!,
              suppressed: row.suppressed,
              timezone: row.timezone!,
            },
    });
  }
  return found;
}

/** One delivery as findDigestsToSend reads it, or null if there is no such delivery. */
export async function findDigestToSend(db: Pool | PoolClient, id: string): Promise<DigestToSend | null> {
  return (await findDigestsToSend(db, [id])).get(id) ?? null;
}
