import {
  editionExists,
  findSubscriber,
  inTransaction,
  lockDelivery,
  markComposed,
  markSkipped,
  type PoolClient,
  recordSelection,
  saveEdition,
  selectPapersForReader,
} from '@paperboy/db';
import { type EditionInput, editionKey, renderEdition, templateVersion } from '@paperboy/digest';
import { enqueue } from '@paperboy/queue';
import type { WorkerDeps } from './deps.ts';

export type ComposeResult =
  | { status: 'composed'; editionId: string; rendered: boolean }
  | { status: 'skipped'; reason: 'nothing-new' | 'not-active' | 'already-done' | 'gone' };

/**
 * Readers sharing a new edition are composed concurrently. The first takes a lock (released at its
 * commit) and renders; the others wait for it and then find the edition stored, instead of all
 * rendering and one insert winning. Returns whether the edition exists once the lock is ours.
 */
async function waitForConcurrentRender(client: PoolClient, editionId: string): Promise<boolean> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [editionId]);
  return editionExists(client, editionId);
}

/**
 * Picks a reader's papers, finds or renders the edition for that selection, and queues the send.
 * The delivery row is locked for the whole step, so a duplicated job waits and then finds the work done.
 */
export async function composeDigest(deps: WorkerDeps, deliveryId: string): Promise<ComposeResult> {
  const result = await inTransaction(deps.pool, async (client): Promise<ComposeResult> => {
    const delivery = await lockDelivery(client, deliveryId);
    if (!delivery) return { status: 'skipped', reason: 'gone' };
    if (delivery.status === 'composed' && delivery.editionId) {
      return { status: 'composed', editionId: delivery.editionId, rendered: false };
    }
    if (delivery.status !== 'planned') return { status: 'skipped', reason: 'already-done' };

    const subscriber = await findSubscriber(client, delivery.subscriberId);
    if (subscriber?.status !== 'active') {
      await markSkipped(client, delivery.id, 'not-active');
      return { status: 'skipped', reason: 'not-active' };
    }
    const papers = await selectPapersForReader(client, {
      subscriberId: subscriber.id,
      topics: subscriber.topics,
      localDate: delivery.localDate,
      lookbackDays: deps.config.digestLookbackDays,
      limit: subscriber.paperCount,
    });
    if (papers.length === 0) {
      await markSkipped(client, delivery.id, 'nothing-new');
      return { status: 'skipped', reason: 'nothing-new' };
    }
    await recordSelection(client, delivery, papers);

    const input: EditionInput = {
      date: delivery.localDate,
      papers: papers.map(({ trendingScore: _score, ...paper }) => paper),
    };
    const editionId = editionKey(input);
    const rendered =
      !(await editionExists(client, editionId)) && !(await waitForConcurrentRender(client, editionId));
    if (rendered) {
      const mail = await renderEdition(input, {
        publicBaseUrl: deps.config.publicBaseUrl,
        postalAddress: deps.config.postalAddress,
      });
      await saveEdition(client, {
        id: editionId,
        editionDate: delivery.localDate,
        templateVersion: templateVersion('digest'),
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        paperIds: papers.map((paper) => paper.id),
      });
    }
    await markComposed(client, delivery.id, editionId);
    return { status: 'composed', editionId, rendered };
  });

  if (result.status === 'composed') {
    // After commit: the mailer must never see a delivery whose edition is not stored yet.
    await enqueue(deps.queues, { name: 'send-digest', data: { deliveryId }, jobId: `send-${deliveryId}` });
    if (result.rendered) deps.metrics.editionsRendered.inc();
  }
  deps.metrics.digestsComposed.inc({
    outcome: result.status === 'composed' ? 'composed' : `skipped-${result.reason}`,
  });
  return result;
}
