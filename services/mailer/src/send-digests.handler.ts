import {
  type ClaimOutcome,
  claimDeliveries,
  type DigestToSend,
  expireDelivery,
  findDigestsToSend,
  markManySkipped,
  recordRecipientFailure,
  releaseClaims,
  suppress,
} from '@paperboy/db';
import type { MailerDeps } from './deps.ts';
import { digestMail, rawDigestMail } from './digest-mail.ts';
import type { CachedEdition } from './edition-cache.ts';
import { dayHasPassed } from './local-date.ts';
import { persistOutcome } from './persist-outcome.ts';
import { runClassified, SendFailedError } from './send-failure.ts';
import type { SmtpFailure } from './smtp-failure.ts';
import type { SentMail } from './transport.ts';

export type SkipReason =
  | 'already-sent'
  | 'finished'
  | 'suppressed'
  | 'not-active'
  | 'not-composed'
  | 'gone'
  | 'expired'
  | 'uncertain';

/** What became of one delivery of a batch. */
export type DigestOutcome =
  | { status: 'sent'; messageId: string; destination: string; resentAfterCrash: boolean }
  | { status: 'skipped'; reason: SkipReason }
  /** Another mailer's lease on it is still running: look again when it ends. */
  | { status: 'busy'; leaseUntil: Date }
  /** The server or our side failed (auth, connection, 421, 4xx): the claim was given back. */
  | { status: 'failed'; failure: SmtpFailure; attempt: number }
  /** The recipient's permanent rejection: the delivery is failed and the address suppressed. */
  | { status: 'rejected'; failure: SmtpFailure }
  /** Not tried: the server kept failing earlier in this batch (or the breaker is open), so it waits. */
  | { status: 'deferred' };

const FINISHED = new Set(['failed', 'skipped', 'expired', 'uncertain']);

interface Sendable {
  deliveryId: string;
  to: string;
  messageId: string;
  send: () => Promise<SentMail>;
}

/**
 * A delivery that may go. Its edition is looked up, and its message written, only when its chunk
 * is about to be sent: a batch waiting for send slots holds ids, not 250 readers' editions.
 */
interface Ready {
  deliveryId: string;
  reader: NonNullable<DigestToSend['reader']>;
  editionId: string;
}

/** A chunk's messages, its editions read in one statement where the cache does not have them. */
async function sendables(deps: MailerDeps, chunk: readonly Ready[]): Promise<Sendable[]> {
  const editions = await deps.editions.getMany(chunk.map((entry) => entry.editionId));
  return chunk.map(({ deliveryId, reader, editionId }) => {
    const edition = editions.get(editionId);
    if (!edition) throw new Error(`edition ${editionId} of delivery ${deliveryId} is missing`);
    return sendable(deps, deliveryId, reader, edition);
  });
}

/** The reader's message from the edition's template; nodemailer's full build when the address needs it. */
function sendable(
  deps: MailerDeps,
  deliveryId: string,
  reader: Ready['reader'],
  cached: CachedEdition,
): Sendable {
  const raw = rawDigestMail(deps, deliveryId, reader, cached);
  if (raw)
    return { deliveryId, to: raw.to, messageId: raw.messageId, send: () => deps.transport.sendRaw(raw) };
  const mail = digestMail(deps, deliveryId, reader, cached.edition);
  return {
    deliveryId,
    to: mail.to,
    messageId: mail.messageId,
    send: () => deps.transport.send(mail, deps.config.mailFrom),
  };
}

/**
 * Sends a batch of readers' digests: one read for every delivery, reader and suppression, then,
 * a chunk of at most SMTP_POOL_SIZE at a time, one claim statement, the sends in parallel over the
 * pooled connections, and one statement recording every 250. Each delivery keeps the single
 * send's promise: suppression is checked right before, it is claimed (`sending`, with a lease) in
 * the statement that checks it may go, and `sent` is recorded after the 250, outside the failure
 * path. Once the server fails about itself, the rest of the batch is not tried (deferred).
 */
export async function sendDigests(
  deps: MailerDeps,
  deliveryIds: readonly string[],
): Promise<Map<string, DigestOutcome>> {
  const outcomes = new Map<string, DigestOutcome>();
  const found = await findDigestsToSend(deps.pool, deliveryIds);
  const ready: Ready[] = [];
  const notActive: string[] = [];
  const suppressed: string[] = [];
  for (const deliveryId of deliveryIds) {
    const verdict = await readiness(deps, deliveryId, found.get(deliveryId));
    if (verdict.kind === 'skip') outcomes.set(deliveryId, { status: 'skipped', reason: verdict.reason });
    else if (verdict.kind === 'not-active') notActive.push(deliveryId);
    else if (verdict.kind === 'suppressed') suppressed.push(deliveryId);
    else ready.push({ deliveryId, reader: verdict.reader, editionId: verdict.editionId });
  }
  await markManySkipped(deps.pool, notActive, 'not-active');
  await markManySkipped(deps.pool, suppressed, 'suppressed');
  for (const id of notActive) outcomes.set(id, { status: 'skipped', reason: 'not-active' });
  for (const id of suppressed) outcomes.set(id, { status: 'skipped', reason: 'suppressed' });

  const chunkSize = deps.slots.size;
  let failedChunks = 0;
  for (let start = 0; start < ready.length; start += chunkSize) {
    const chunk = ready.slice(start, start + chunkSize);
    if (deps.breaker.isOpen || failedChunks >= MAX_FAILED_CHUNKS) {
      for (const entry of chunk) outcomes.set(entry.deliveryId, { status: 'deferred' });
      continue;
    }
    // Written per chunk, not per batch: a mailer holds a chunk's messages, not a batch's.
    const messages = await sendables(deps, chunk);
    const results = await deps.slots.runMany(chunk.length, () => sendChunk(deps, messages));
    let serverFailed = false;
    for (const [deliveryId, outcome] of results) {
      outcomes.set(deliveryId, outcome);
      // Every outcome goes to the breaker (no short-circuit past the first failure).
      if (noteForBreaker(deps, outcome)) serverFailed = true;
    }
    failedChunks = serverFailed ? failedChunks + 1 : 0;
  }
  return outcomes;
}

/**
 * Chunks in a row that failed about the server before the rest of the batch waits for the retry.
 * Not one: the breaker judges by the share of recent sends that failed, so it must hear a few
 * chunks' worth (it pauses every mailer, and then the rest waits anyway).
 */
const MAX_FAILED_CHUNKS = 3;

/** Tells the breaker how a send went, as soon as it is known; true if it failed about the server. */
function noteForBreaker(deps: MailerDeps, outcome: DigestOutcome): boolean {
  if (outcome.status === 'failed' && outcome.failure.aboutServer) {
    deps.breaker.recordFailure(outcome.failure.failureClass, outcome.failure.message);
    return true;
  }
  // A 250, or the server's verdict on one reader (rejected, greylisted): the server works.
  if (outcome.status === 'sent' || outcome.status === 'rejected' || outcome.status === 'failed')
    deps.breaker.recordSuccess();
  return false;
}

type Readiness =
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'not-active' }
  | { kind: 'suppressed' }
  | { kind: 'ready'; reader: NonNullable<DigestToSend['reader']>; editionId: string };

async function readiness(
  deps: MailerDeps,
  deliveryId: string,
  found: DigestToSend | undefined,
): Promise<Readiness> {
  if (!found) return { kind: 'skip', reason: 'gone' };
  const { delivery, reader } = found;
  if (delivery.status === 'sent') return { kind: 'skip', reason: 'already-sent' };
  if (FINISHED.has(delivery.status)) return { kind: 'skip', reason: 'finished' };
  if (delivery.status === 'planned' || !delivery.editionId) return { kind: 'skip', reason: 'not-composed' };
  if (reader?.status !== 'active') return { kind: 'not-active' };
  if (reader.suppressed) return { kind: 'suppressed' };
  // A digest is for its day: once the reader's local day is over it is recorded, not sent late.
  if (dayHasPassed(delivery.localDate, reader.timezone, deps.clock.now())) {
    const recorded = await expireDelivery(deps.pool, deliveryId, deps.clock.now());
    if (recorded === 'expired') deps.metrics.expired.inc();
    if (recorded === 'uncertain') deps.metrics.uncertain.inc();
    if (recorded)
      deps.logger.warn({ deliveryId, localDate: delivery.localDate, recorded }, 'digest day passed unsent');
    return { kind: 'skip', reason: recorded ?? 'finished' };
  }
  return { kind: 'ready', reader, editionId: delivery.editionId };
}

/** What a claim lets us do with one delivery: send it (again), or the outcome without sending. */
function afterClaim(
  deps: MailerDeps,
  entry: Sendable,
  claim: ClaimOutcome | undefined,
): { send: true; attempt: number; resend: boolean } | { send: false; outcome: DigestOutcome } {
  const { deliveryId } = entry;
  switch (claim?.kind) {
    case 'claimed':
      return { send: true, attempt: claim.attempt, resend: false };
    case 'resend':
      deps.metrics.resentAfterCrash.inc();
      deps.logger.warn(
        { deliveryId, messageId: entry.messageId },
        'resent-after-crash: the mailer that claimed this digest died before recording it; sending again with the same Message-ID',
      );
      return { send: true, attempt: claim.attempt, resend: true };
    case 'uncertain':
      deps.metrics.uncertain.inc();
      deps.logger.warn(
        { deliveryId, messageId: entry.messageId },
        'uncertain: the mailer that claimed this digest died before recording it; ON_UNCERTAIN=skip, so it is not sent again',
      );
      return { send: false, outcome: { status: 'skipped', reason: 'uncertain' } };
    case 'busy':
      return { send: false, outcome: { status: 'busy', leaseUntil: claim.leaseUntil } };
    default:
      return {
        send: false,
        outcome: {
          status: 'skipped',
          reason: claim?.kind === 'not-sendable' && claim.status === 'sent' ? 'already-sent' : 'finished',
        },
      };
  }
}

/** Claims a chunk in one statement, sends what it may in parallel, records the outcomes in bulk. */
async function sendChunk(deps: MailerDeps, chunk: Sendable[]): Promise<Map<string, DigestOutcome>> {
  const outcomes = new Map<string, DigestOutcome>();
  const claims = await claimDeliveries(deps.pool, {
    deliveryIds: chunk.map((entry) => entry.deliveryId),
    owner: deps.instance,
    now: deps.clock.now(),
    leaseSeconds: deps.leaseSeconds,
    onUncertain: deps.config.onUncertain,
  });
  const attempts = chunk.flatMap((entry) => {
    const next = afterClaim(deps, entry, claims.get(entry.deliveryId));
    if (!next.send) {
      outcomes.set(entry.deliveryId, next.outcome);
      return [];
    }
    return [{ entry, attempt: next.attempt, resend: next.resend }];
  });

  const settled = await Promise.all(
    attempts.map(async ({ entry, attempt, resend }) => {
      try {
        const sent = await runClassified(entry.send, attempt);
        // Recorded as soon as its 250 is in, not when the chunk's slowest send is done.
        await deps.sentRecorder.record(entry.deliveryId, sent.messageId);
        return { entry, outcome: { status: 'sent', ...sent, resentAfterCrash: resend } as const };
      } catch (error) {
        if (!(error instanceof SendFailedError)) throw error;
        const { failure } = error;
        return {
          entry,
          outcome: failure.permanentForRecipient
            ? ({ status: 'rejected', failure } as const)
            : ({ status: 'failed', failure, attempt } as const),
        };
      }
    }),
  );

  const context = {
    logger: deps.logger,
    lifecycle: deps.lifecycle,
    deliveryId: chunk.map((entry) => entry.deliveryId).join(','),
  };
  for (const { entry, outcome } of settled) {
    if (outcome.status !== 'rejected') continue;
    // Suppress first: once the delivery reads "failed", the address must already be off the list.
    await persistOutcome(
      'recipient rejection',
      async () => {
        await suppress(deps.pool, entry.to, 'hard-bounce', outcome.failure.message.slice(0, 500));
        await recordRecipientFailure(deps.pool, entry.deliveryId, outcome.failure.message);
      },
      { ...context, deliveryId: entry.deliveryId },
    );
  }

  // About us or the server: nobody is suppressed, nothing is failed; the claims go back.
  const released = settled.flatMap(({ entry, outcome }) =>
    outcome.status === 'failed' ? [{ deliveryId: entry.deliveryId, failure: outcome.failure }] : [],
  );
  await persistOutcome('released claim', () => releaseClaims(deps.pool, deps.instance, released), context);

  for (const { entry, outcome } of settled) outcomes.set(entry.deliveryId, outcome);
  return outcomes;
}
