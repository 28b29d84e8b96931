import {
  type ComposableDelivery,
  type Edition,
  findComposedDeliveries,
  findExistingEditions,
  inTransaction,
  lockPlannedDeliveries,
  markManyComposed,
  markManySkipped,
  type PoolClient,
  recordSelections,
  recordSendJobs,
  saveEditions,
  selectPapersForReaders,
} from '@paperboy/db';
import { type EditionInput, editionKey, renderEdition, templateVersion } from '@paperboy/digest';
import { enqueueBulk, sendDigestJobs } from '@paperboy/queue';
import type { WorkerDeps } from './deps.ts';

type SkipReason = 'nothing-new' | 'not-active' | 'already-done';

/** A weekly digest is the week's best not yet sent: it looks back at least a week of papers. */
const WEEKLY_LOOKBACK_DAYS = 7;

export interface ComposeBatchResult {
  composed: number;
  /** Deliveries an earlier run of this batch composed; their sends are queued again. */
  alreadyComposed: number;
  skipped: Record<SkipReason, number>;
  editionsRendered: number;
}

interface ComposedDelivery {
  deliveryId: string;
  editionId: string;
}

/**
 * Rounds in which no reader appears twice. Readers in one selection statement do not see each
 * other's picks, so a reader's second delivery (yesterday's, re-queued) is picked after the first
 * is recorded: never a paper twice. Almost every batch is a single round.
 */
function roundsWithDistinctReaders(deliveries: ComposableDelivery[]): ComposableDelivery[][] {
  const rounds: ComposableDelivery[][] = [];
  const roundOf = new Map<string, number>();
  for (const delivery of deliveries) {
    const round = (roundOf.get(delivery.subscriberId) ?? -1) + 1;
    roundOf.set(delivery.subscriberId, round);
    const deliveriesOfRound = rounds[round] ?? [];
    deliveriesOfRound.push(delivery);
    rounds[round] = deliveriesOfRound;
  }
  return rounds;
}

/**
 * Editions this process is rendering and storing (or stored seconds ago), each mapped to the store
 * that commits it: a batch that needs one of them waits for that store instead of rendering it
 * again. Keyed by deps, since one process (a test) may run workers with different settings.
 */
const inFlightStores = new WeakMap<WorkerDeps, Map<string, Promise<void>>>();
const STORED_EDITION_MEMORY_MS = 10_000;

function storesOf(deps: WorkerDeps): Map<string, Promise<void>> {
  let stores = inFlightStores.get(deps);
  if (!stores) {
    stores = new Map();
    inFlightStores.set(deps, stores);
  }
  return stores;
}

/**
 * Maps editions to the store that commits them. A failed store is forgotten at once, to be tried
 * again; a stored one stays a few seconds, so a batch whose look-up of stored editions started just
 * before the commit still finds it here. Module-level, so the timer holds the ids and the promise
 * only, not the batch's rendered editions (a closure inside storeMissingEditions kept every
 * batch's inputs alive until the timer ran: +35 MB of worker RSS in the bench).
 */
function remember(stores: Map<string, Promise<void>>, ids: readonly string[], store: Promise<void>): void {
  for (const id of ids) stores.set(id, store);
  const forget = () => {
    for (const id of ids) if (stores.get(id) === store) stores.delete(id);
  };
  store.then(() => setTimeout(forget, STORED_EDITION_MEMORY_MS).unref(), forget);
}

async function renderStorable(deps: WorkerDeps, editionId: string, input: EditionInput): Promise<Edition> {
  const mail = await renderEdition(input, {
    publicBaseUrl: deps.config.publicBaseUrl,
    postalAddress: deps.config.postalAddress,
  });
  return {
    id: editionId,
    editionDate: input.date,
    templateVersion: templateVersion('digest'),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    paperIds: input.papers.map((paper) => paper.id),
  };
}

/**
 * Makes sure the editions this batch needs are stored and committed before it marks its
 * deliveries composed (their foreign key must find them). Missing ones are rendered once per
 * process and stored in one INSERT committed on its own (`editionPool`), outside the batch's
 * transaction: an edition is content-addressed, so one stored by a batch that later rolls back is
 * still right for the next. Batches of this process that need an edition another is storing wait
 * for that store; another worker process storing the same edition makes this INSERT wait at most
 * for that one statement (ON CONFLICT DO NOTHING), never for the other's transaction.
 *
 * Inside the transaction, batches that shared new editions waited for each other's commits: with
 * per-edition advisory locks held from rendering to commit, 28.7 s of lock waits summed over a
 * 37 s bench run (pg_stat_statements); with plain inserts of shared rows, 13.6 s of conflicting
 * inserts waiting (auto_explain; BENCHMARKS.md, issue 10).
 */
async function storeMissingEditions(
  deps: WorkerDeps,
  client: PoolClient,
  editions: Map<string, EditionInput>,
): Promise<number> {
  const stored = await findExistingEditions(client, [...editions.keys()]);
  const missing = [...editions.keys()].filter((id) => !stored.has(id)).sort();
  if (missing.length === 0) return 0;
  const stores = storesOf(deps);
  const ours = missing.filter((id) => !stores.has(id));
  const waits = missing.flatMap((id) => stores.get(id) ?? []);
  if (ours.length > 0) {
    const store = (async () => {
      const rows = await Promise.all(ours.map((id) => renderStorable(deps, id, editions.get(id)!)));
      await saveEditions(deps.editionPool, rows);
    })();
    remember(stores, ours, store);
    waits.push(store);
  }
  await Promise.all(waits);
  return ours.length;
}

/** Locks, picks, records and marks one batch's deliveries in one transaction (see composeDigests). */
function composeLocked(deps: WorkerDeps, deliveryIds: string[]) {
  return inTransaction(deps.pool, async (client) => {
    const locked = await lockPlannedDeliveries(client, deliveryIds);
    const inactive = locked.filter((delivery) => delivery.readerStatus !== 'active');
    await markManySkipped(
      client,
      inactive.map((delivery) => delivery.id),
      'not-active',
    );

    const composed: ComposedDelivery[] = [];
    const nothingNew: string[] = [];
    const editions = new Map<string, EditionInput>();
    const active = locked.filter((delivery) => delivery.readerStatus === 'active');
    for (const round of roundsWithDistinctReaders(active)) {
      const selections = await selectPapersForReaders(client, {
        readers: round.map((delivery) => ({
          deliveryId: delivery.id,
          subscriberId: delivery.subscriberId,
          topics: delivery.topics,
          localDate: delivery.localDate,
          limit: delivery.paperCount,
          lookbackDays:
            delivery.cadence === 'weekly'
              ? Math.max(WEEKLY_LOOKBACK_DAYS, deps.config.digestLookbackDays)
              : deps.config.digestLookbackDays,
        })),
        lookbackDays: deps.config.digestLookbackDays,
      });
      const picked = round.filter((delivery) => (selections.get(delivery.id)?.length ?? 0) > 0);
      nothingNew.push(
        ...round.filter((delivery) => !picked.includes(delivery)).map((delivery) => delivery.id),
      );
      await recordSelections(
        client,
        picked.map((delivery) => ({
          deliveryId: delivery.id,
          subscriberId: delivery.subscriberId,
          papers: selections.get(delivery.id)!,
        })),
      );
      for (const delivery of picked) {
        const input: EditionInput = {
          date: delivery.localDate,
          papers: selections.get(delivery.id)!,
          ...(delivery.cadence === 'weekly' ? { cadence: 'weekly' as const } : {}),
        };
        const editionId = editionKey(input);
        editions.set(editionId, input);
        composed.push({ deliveryId: delivery.id, editionId });
      }
    }
    await markManySkipped(client, nothingNew, 'nothing-new');
    const editionsRendered = await storeMissingEditions(deps, client, editions);
    // One send job carries the batch (a compose batch never exceeds a send batch).
    const sendJobs = sendDigestJobs(composed.map((entry) => entry.deliveryId));
    await markManyComposed(client, composed, sendJobs[0]?.jobId ?? null);
    return {
      composed,
      sendJobs,
      inactive: inactive.length,
      nothingNew: nothingNew.length,
      editionsRendered,
      locked,
    };
  });
}

/**
 * Two runs of one batch lock its rows with SKIP LOCKED, so a reader with two deliveries in it
 * (yesterday's, re-queued) can have one in each run; both then pick without seeing the other's
 * picks, and the second INSERT of the same paper waits for the first run's commit and fails on
 * UNIQUE (subscriber_id, paper_id). A fresh attempt sees those picks and chooses others.
 */
async function retryingPickRace<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let left = attempts; ; left -= 1) {
    try {
      return await attempt();
    } catch (error) {
      const duplicatePick =
        (error as { code?: string; constraint?: string }).code === '23505' &&
        (error as { constraint?: string }).constraint === 'delivery_papers_subscriber_id_paper_id_key';
      if (!duplicatePick || left <= 1) throw error;
    }
  }
}

/**
 * Composes a batch of deliveries in one transaction: locks the ones still planned, picks every
 * reader's papers in one statement, records them in one INSERT, stores the editions the batch
 * needs (readers with the same selection share one), marks all composed in one UPDATE, and after
 * commit queues the sends in one round trip. A retried or duplicated batch finds its deliveries
 * composed (or held by the other run) and only queues sends again, which job ids make harmless.
 */
export async function composeDigests(deps: WorkerDeps, deliveryIds: string[]): Promise<ComposeBatchResult> {
  const outcome = await retryingPickRace(() => composeLocked(deps, deliveryIds));

  // Deliveries neither locked nor planned: composed by an earlier run whose sends may not have
  // been queued (crash after commit), or finished, or held by a concurrent run of the same batch.
  const lockedIds = new Set(outcome.locked.map((delivery) => delivery.id));
  const notLocked = deliveryIds.filter((id) => !lockedIds.has(id));
  const alreadyComposed = notLocked.length > 0 ? await findComposedDeliveries(deps.pool, notLocked) : [];

  // Composed by an earlier run whose send job may be gone: their own job, recorded before queueing.
  const resendJobs = sendDigestJobs(alreadyComposed);
  await recordSendJobs(
    deps.pool,
    resendJobs.map((job) => ({ jobId: job.jobId!, deliveryIds: job.data.deliveryIds })),
  );
  // After commit: the mailer must never see a delivery whose edition is not stored yet.
  await enqueueBulk(deps.queues, [...outcome.sendJobs, ...resendJobs]);

  const alreadyDone = notLocked.length - alreadyComposed.length;
  deps.metrics.editionsRendered.inc(outcome.editionsRendered);
  deps.metrics.digestsComposed.inc({ outcome: 'composed' }, outcome.composed.length + alreadyComposed.length);
  deps.metrics.digestsComposed.inc({ outcome: 'skipped-not-active' }, outcome.inactive);
  deps.metrics.digestsComposed.inc({ outcome: 'skipped-nothing-new' }, outcome.nothingNew);
  deps.metrics.digestsComposed.inc({ outcome: 'skipped-already-done' }, alreadyDone);
  return {
    composed: outcome.composed.length,
    alreadyComposed: alreadyComposed.length,
    skipped: {
      'nothing-new': outcome.nothingNew,
      'not-active': outcome.inactive,
      'already-done': alreadyDone,
    },
    editionsRendered: outcome.editionsRendered,
  };
}
