import { readerIsDueSql } from './cadence.sql.ts';
import { inTransaction, type Pool, type PoolClient } from './pool.ts';
import { holdReaderRowsForPlanning } from './reader-rows-lock.ts';
import { textArrayLiteral } from './sql-arrays.ts';
import type { Cadence } from './subscribers.repository.ts';

// The daily path's per-batch statements are named, parsed and planned once per connection (why:
// delivery-claims.repository.ts).

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

/** Subscribers read per planning statement, roughly: a million due readers plan in 20 statements. */
export const PLAN_CHUNK_SIZE = 50_000;

/** Rows per 8 kB page assumed for subscribers before Postgres has counted them (a row is ~200 bytes). */
const ASSUMED_SUBSCRIBERS_PER_PAGE = 40;
/** Past the last page a table can have: the open upper bound of the last chunk. */
const BEYOND_LAST_PAGE = '(4294967295,0)';

/** How long the list of zones Postgres knows is reused: reading pg_timezone_names costs ~150 ms. */
const ZONE_LIST_TTL_MS = 3_600_000;
const zoneLists = new WeakMap<Pool, { names: string[] | null; readAt: number; reading: boolean }>();

/**
 * The time zone names Postgres knows as last read, or null before the first read has finished
 * (then the statement reads pg_timezone_names itself, as it always did). Read in the background,
 * once an hour per pool, so no plan waits for it.
 */
function knownTimeZones(pool: Pool): string[] | null {
  let entry = zoneLists.get(pool);
  if (entry === undefined) {
    entry = { names: null, readAt: 0, reading: false };
    zoneLists.set(pool, entry);
  }
  const list = entry;
  if (!list.reading && Date.now() - list.readAt >= ZONE_LIST_TTL_MS) {
    list.reading = true;
    pool
      .query<{ names: string[] | null }>('SELECT array_agg(name) AS names FROM pg_timezone_names')
      .then(
        (result) => {
          list.names = result.rows[0]?.names ?? null;
          list.readAt = Date.now();
        },
        // A failed read (a closing pool) is simply tried again by the next plan.
        () => {},
      )
      .finally(() => {
        list.reading = false;
      });
  }
  return list.names;
}

/** Deliveries one planning statement created, grouped in the compose batches it numbered. */
export interface PlannedChunk {
  /** Every delivery this chunk created. */
  deliveryIds: string[];
  /** The created deliveries by the compose job id recorded on them (empty without composeBatches). */
  composeBatches: { jobId: string; deliveryIds: string[] }[];
}

export interface PlanOptions {
  ignoreSendHour: boolean;
  /**
   * Numbers each chunk's new deliveries into batches of `size` and records `${jobIdPrefix}-${chunk}-${n}`
   * as each row's compose_job in the INSERT itself, so a planned row always names its job (recovery
   * looks it up) without a second write of every row.
   */
  composeBatches?: { size: number; jobIdPrefix: string };
  /** Subscribers per chunk, roughly: a chunk is a run of the table's pages (PLAN_CHUNK_SIZE). */
  chunkSize?: number;
}

/*
 * One chunk: the active subscribers on a run of the table's pages, read by a TID range scan. Chunks
 * were ranges of ids before; ids are random, so the 50,000 readers of an id range lay on every page
 * of the table and each chunk read all of it (25,800 pages at a million readers, twenty times per
 * plan). A reader whose row moves to another page during a plan (an update that is not HOT) may be
 * read twice, which the unique keys absorb, or not at all by the page chunks if it moves into free
 * space of a page already read, or a new reader lands there. So a last pass reads every page for
 * rows written by transactions the plan may not have seen ($8: the oldest transaction running when
 * the plan began; age() keeps the comparison right across xid wraparound, and frozen rows are
 * older than any). Readers already planned are skipped as in every chunk. The materialised CTE keeps readers of a zone
 * Postgres does not know out before any zone arithmetic runs: AT TIME ZONE would fail the whole
 * statement, stopping everyone's digest for one bad row. Readers with a row for their local day
 * are left out before numbering, so the batches of an hourly run are full; the unique keys (the
 * local day, or a weekly reader's local week), not that filter, are what stop a second row.
 */
const PLAN_CHUNK_SQL = `
WITH eligible AS MATERIALIZED (
  SELECT s.id, s.timezone, s.send_hour, s.cadence, s.weekday, s.topics, s.paper_count
  FROM subscribers s
  WHERE s.status = 'active'
    AND s.ctid >= $3::tid AND s.ctid < $4::tid
    AND ($8::text IS NULL OR age(s.xmin) <= age($8::text::xid))
    AND (s.paused_until IS NULL OR s.paused_until <= $1)
    AND s.timezone IN (SELECT unnest(coalesce($5::text[], ARRAY(SELECT name FROM pg_timezone_names))))
    AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = s.email_hash)
),
due AS (
  SELECT e.id AS subscriber_id, local.at::date AS local_date, e.cadence, e.topics, e.paper_count
  FROM eligible e CROSS JOIN LATERAL (SELECT $1::timestamptz AT TIME ZONE e.timezone AS at) AS local
  WHERE ${readerIsDueSql('e', 'local.at', '$2')}
    AND NOT EXISTS (
      SELECT 1 FROM deliveries d WHERE d.subscriber_id = e.id AND d.local_date = local.at::date
    )
)
INSERT INTO deliveries (subscriber_id, local_date, cadence, compose_job)
-- Numbered with readers of the same topics and digest size side by side: they mostly share
-- editions, so a compose batch renders fewer and its mailer finds them in its cache.
SELECT subscriber_id, local_date, cadence,
       CASE WHEN $6::text IS NOT NULL
            THEN $6::text || '-' || ((row_number() OVER (ORDER BY topics, paper_count, local_date) - 1) / $7::int) END
FROM due
-- No conflict target: either key (the local day, or a weekly reader's local week) stops a row.
ON CONFLICT DO NOTHING
RETURNING id, compose_job`;

/**
 * Creates today's delivery row for every active, unsuppressed, unpaused reader whose digest is due
 * (cadence.sql.ts: their local send hour has come, and for weekly readers it is their weekday; or
 * everyone, with ignoreSendHour), a chunk of subscribers (a run of pages) per statement, and hands each
 * chunk's rows to `onChunk` as soon as it is committed, so composing starts while planning goes
 * on. The next chunk's statement runs while `onChunk` queues the last one's jobs (Postgres and the
 * worker each on their own core); chunks are handed over in order, one at a time, and a failing
 * `onChunk` stops the plan after the statement in flight, whose rows (committed, their compose job
 * named but not queued) recovery queues, as after a crash between commit and queueing.
 * Only rows this call created are handed over: racing planners create each row once.
 * Returns how many rows it created.
 */
export async function planDueDeliveriesInChunks(
  pool: Pool,
  now: Date,
  options: PlanOptions,
  onChunk: (chunk: PlannedChunk) => Promise<void>,
): Promise<number> {
  // Rows written by this transaction or any later one are read again by the last pass.
  const since = (
    await pool.query<{ since: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS since')
  ).rows[0]!.since;
  const chunkPages = await pagesPerChunk(pool, options.chunkSize ?? PLAN_CHUNK_SIZE);
  let created = 0;
  let handingOver: Promise<void> = Promise.resolve();
  // Batches are numbered within a chunk: the chunk's number keeps their job ids apart across chunks.
  const pageChunks = Math.max(1, Math.ceil(chunkPages.total / chunkPages.perChunk));
  for (let chunkNumber = 0; ; chunkNumber += 1) {
    const firstPage = chunkNumber * chunkPages.perChunk;
    // The last page chunk has no upper bound, so pages added while planning are read too. Then
    // one pass over every page for rows written since the plan began (see PLAN_CHUNK_SQL).
    const catchUp = chunkNumber === pageChunks;
    const last = catchUp;
    const params = [
      now.toISOString(),
      options.ignoreSendHour,
      catchUp ? '(0,0)' : `(${firstPage},0)`,
      catchUp || chunkNumber === pageChunks - 1 ? BEYOND_LAST_PAGE : `(${firstPage + chunkPages.perChunk},0)`,
      knownTimeZones(pool),
      options.composeBatches ? `${options.composeBatches.jobIdPrefix}-${chunkNumber}` : null,
      options.composeBatches?.size ?? 1,
      catchUp ? since : null,
    ];
    // No foreign key ties a delivery to its reader any more (migration 083): erasing waits for
    // this chunk, and this chunk for an erasure (reader-rows-lock.ts).
    const result = await inTransaction(pool, async (client) => {
      await holdReaderRowsForPlanning(client);
      // The chunk's sort (above) in memory: at the default 4 MB it spilled to disk.
      await client.query("SET LOCAL work_mem = '64MB'");
      return client.query<{ id: string; compose_job: string | null }>(PLAN_CHUNK_SQL, params);
    }).catch(async (error: unknown) => {
      // Nothing of this plan goes on behind the caller's back once it has failed.
      await handingOver.catch(() => {});
      throw error;
    });
    const batches = new Map<string, string[]>();
    for (const row of result.rows) {
      if (row.compose_job === null) continue;
      const batch = batches.get(row.compose_job) ?? [];
      batch.push(row.id);
      batches.set(row.compose_job, batch);
    }
    await handingOver;
    if (result.rows.length > 0) {
      handingOver = onChunk({
        deliveryIds: result.rows.map((row) => row.id),
        composeBatches: [...batches].map(([jobId, deliveryIds]) => ({ jobId, deliveryIds })),
      });
      // Awaited before the next hand-over (or at the end); until then a rejection is not unhandled.
      handingOver.catch(() => {});
    }
    created += result.rows.length;
    if (last) {
      await handingOver;
      return created;
    }
  }
}

/** How many pages subscribers has now, and how many hold about `chunkSize` of them (at least one). */
async function pagesPerChunk(pool: Pool, chunkSize: number): Promise<{ total: number; perChunk: number }> {
  const result = await pool.query<{ total: number; perPage: number | null }>(
    `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS total,
            CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN c.reltuples / c.relpages END AS "perPage"
     FROM pg_class c WHERE c.oid = 'subscribers'::regclass`,
  );
  const row = result.rows[0];
  const perPage = row?.perPage ?? ASSUMED_SUBSCRIBERS_PER_PAGE;
  return { total: row?.total ?? 0, perChunk: Math.max(1, Math.floor(chunkSize / perPage)) };
}

/** planDueDeliveriesInChunks, every created row's id at once (tests, small runs). */
export async function planDueDeliveries(
  pool: Pool,
  now: Date,
  options: { ignoreSendHour: boolean },
): Promise<string[]> {
  const created: string[] = [];
  await planDueDeliveriesInChunks(pool, now, options, async (chunk) => {
    created.push(...chunk.deliveryIds);
  });
  return created;
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
  const result = await client.query<ComposableDelivery>({
    name: 'lock-planned-deliveries',
    // The batch's rows are read and locked by id alone (a MATERIALIZED CTE, so by primary key), and
    // the status is checked on what was locked, as the claim does. With `d.status = 'planned'`
    // beside the ids, statistics taken before the day was planned (one planned row) had Postgres
    // walk every planned delivery by status and filter the ids: 19,750 rows read for a batch of
    // 250 (auto_explain, BENCHMARKS.md, issue 10). A retried batch thus also locks its rows that
    // are composed already, until it commits; it changes none of them.
    text: `WITH batch AS MATERIALIZED (
       SELECT id, subscriber_id, local_date, cadence, status FROM deliveries
       WHERE id = ANY($1::uuid[])
       ORDER BY local_date, id
       FOR UPDATE SKIP LOCKED
     )
     SELECT b.id, b.subscriber_id AS "subscriberId", b.local_date AS "localDate", s.status AS "readerStatus",
            s.topics, s.paper_count AS "paperCount", b.cadence
     FROM batch b JOIN subscribers s ON s.id = b.subscriber_id
     WHERE b.status = 'planned'
     ORDER BY b.local_date, b.id`,
    values: [ids],
  });
  return result.rows;
}

/** Of these deliveries, the ones already composed: a retried batch queues their sends again. */
export async function findComposedDeliveries(db: Pool | PoolClient, ids: string[]): Promise<string[]> {
  const result = await db.query<{ id: string }>({
    name: 'find-composed-deliveries',
    text: `SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'composed' AND edition_id IS NOT NULL`,
    values: [ids],
  });
  return result.rows.map((row) => row.id);
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
  await client.query({
    name: 'record-selections',
    text: `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position, matched_topics)
     SELECT paper.delivery_id, paper.subscriber_id, paper.id, paper.position, paper.matched_topics::text[]
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[])
          AS paper(delivery_id, subscriber_id, id, position, matched_topics)`,
    values: [deliveryIds, subscriberIds, paperIds, positions, matchedTopics],
  });
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
  await client.query({
    name: 'mark-composed',
    text: `UPDATE deliveries d SET status = 'composed', edition_id = x.edition_id, send_job = $3,
       composed_at = now(), updated_at = now()
     FROM unnest($1::uuid[], $2::text[]) AS x(id, edition_id)
     WHERE d.id = x.id`,
    values: [composed.map((entry) => entry.deliveryId), composed.map((entry) => entry.editionId), sendJob],
  });
}

/** Marks many deliveries skipped for one reason in one UPDATE. */
export async function markManySkipped(db: Pool | PoolClient, ids: string[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query({
    name: 'mark-skipped',
    text: `UPDATE deliveries SET status = 'skipped', skip_reason = $2, updated_at = now()
     WHERE id = ANY($1::uuid[]) AND status IN ('planned', 'composed')`,
    values: [ids, reason],
  });
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
  }>({
    name: 'find-digests-to-send',
    text: `SELECT d.id, d.status, d.edition_id AS "editionId", d.local_date AS "localDate",
            d.lease_until AS "leaseUntil", s.id AS "readerId", s.email, s.timezone,
            s.status AS "readerStatus", s.token_version AS "tokenVersion",
            EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = s.email_hash) AS suppressed
     FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
     WHERE d.id = ANY($1::uuid[])`,
    values: [ids],
  });
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
