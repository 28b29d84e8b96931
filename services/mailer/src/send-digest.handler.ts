import {
  claimDelivery,
  expireDelivery,
  findDigestToSend,
  markSkipped,
  recordRecipientFailure,
  recordSent,
  releaseClaim,
  suppress,
} from '@paperboy/db';
import { personalise } from '@paperboy/digest';
import { editionUrl, personalUrl, voteUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { dayHasPassed } from './local-date.ts';
import { digestMessageId, listId } from './mail-identity.ts';
import { persistOutcome } from './persist-outcome.ts';
import { RecipientRejectedError, SendFailedError, sendClassified } from './send-failure.ts';

export type SendResult =
  | { status: 'sent'; messageId: string; destination: string; resentAfterCrash: boolean }
  | {
      status: 'skipped';
      reason:
        | 'already-sent'
        | 'finished'
        | 'suppressed'
        | 'not-active'
        | 'not-composed'
        | 'gone'
        | 'expired'
        | 'uncertain';
    }
  /** Another mailer's lease on it is still running: look again when it ends. */
  | { status: 'busy'; leaseUntil: Date };

const FINISHED = new Set(['failed', 'skipped', 'expired', 'uncertain']);

/**
 * Sends one reader's digest: the shared edition with their personal links filled in, plus the
 * RFC 8058 headers. Suppression is checked again right before the send, and the delivery is
 * claimed (`sending`, with a lease) in the statement that checks it may go, so only one mailer
 * ever sends it. `sent` is recorded after the 250, outside the failure path: a failure to record
 * is retried on its own, never by sending again.
 */
export async function sendDigest(deps: MailerDeps, deliveryId: string): Promise<SendResult> {
  // Delivery, reader and suppression in one read: this runs once per message.
  const found = await findDigestToSend(deps.pool, deliveryId);
  if (!found) return { status: 'skipped', reason: 'gone' };
  const { delivery, reader: subscriber } = found;
  if (delivery.status === 'sent') return { status: 'skipped', reason: 'already-sent' };
  if (FINISHED.has(delivery.status)) return { status: 'skipped', reason: 'finished' };
  if (delivery.status === 'planned' || !delivery.editionId)
    return { status: 'skipped', reason: 'not-composed' };

  if (subscriber?.status !== 'active') {
    await markSkipped(deps.pool, delivery.id, 'not-active');
    return { status: 'skipped', reason: 'not-active' };
  }
  if (subscriber.suppressed) {
    await markSkipped(deps.pool, delivery.id, 'suppressed');
    return { status: 'skipped', reason: 'suppressed' };
  }
  // A digest is for its day: once the reader's local day is over it is recorded, not sent late.
  if (dayHasPassed(delivery.localDate, subscriber.timezone, deps.clock.now())) {
    const recorded = await expireDelivery(deps.pool, delivery.id, deps.clock.now());
    if (recorded === 'expired') deps.metrics.expired.inc();
    if (recorded === 'uncertain') deps.metrics.uncertain.inc();
    if (recorded)
      deps.logger.warn({ deliveryId, localDate: delivery.localDate, recorded }, 'digest day passed unsent');
    return { status: 'skipped', reason: recorded ?? 'finished' };
  }
  const edition = await deps.editions.get(delivery.editionId);
  if (!edition) throw new Error(`edition ${delivery.editionId} of delivery ${delivery.id} is missing`);

  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  const unsubscribeUrl = personalUrl(links, 'unsubscribe', subscriber);
  const mail = {
    ref: { kind: 'digest', deliveryId: delivery.id } as const,
    to: subscriber.email,
    ...personalise(edition, {
      unsubscribeUrl,
      manageUrl: personalUrl(links, 'manage', subscriber),
      viewInBrowserUrl: editionUrl(links, edition.id),
      // The edition's papers in mail order: position n's vote links name paper n.
      voteUrl: (position, direction) => {
        const paperId = edition.paperIds[position - 1];
        if (paperId === undefined)
          throw new Error(`edition ${edition.id} has no paper at position ${position}`);
        return voteUrl(links, subscriber, paperId, direction);
      },
    }),
    messageId: digestMessageId(deps.config, delivery.id),
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': listId(deps.config),
    },
  };

  return deps.slots.run(async (): Promise<SendResult> => {
    const claim = await claimDelivery(deps.pool, {
      deliveryId,
      owner: deps.instance,
      now: deps.clock.now(),
      leaseSeconds: deps.leaseSeconds,
      onUncertain: deps.config.onUncertain,
    });
    if (claim.kind === 'busy') return { status: 'busy', leaseUntil: claim.leaseUntil };
    if (claim.kind === 'not-sendable') {
      return { status: 'skipped', reason: claim.status === 'sent' ? 'already-sent' : 'finished' };
    }
    if (claim.kind === 'uncertain') {
      deps.metrics.uncertain.inc();
      deps.logger.warn(
        { deliveryId, messageId: mail.messageId },
        'uncertain: the mailer that claimed this digest died before recording it; ON_UNCERTAIN=skip, so it is not sent again',
      );
      return { status: 'skipped', reason: 'uncertain' };
    }
    if (claim.kind === 'resend') {
      deps.metrics.resentAfterCrash.inc();
      deps.logger.warn(
        { deliveryId, messageId: mail.messageId },
        'resent-after-crash: the mailer that claimed this digest died before recording it; sending again with the same Message-ID',
      );
    }

    const context = { logger: deps.logger, lifecycle: deps.lifecycle, deliveryId };
    let sent: Awaited<ReturnType<typeof sendClassified>>;
    try {
      sent = await sendClassified(deps.transport, mail, deps.config.mailFrom, claim.attempt);
    } catch (error) {
      if (!(error instanceof SendFailedError)) throw error;
      const { failure } = error;
      if (failure.permanentForRecipient) {
        // Suppress first: once the delivery reads "failed", the address must already be off the list.
        await persistOutcome(
          'recipient rejection',
          async () => {
            await suppress(deps.pool, subscriber.email, 'hard-bounce', failure.message.slice(0, 500));
            await recordRecipientFailure(deps.pool, delivery.id, failure.message);
          },
          context,
        );
        throw new RecipientRejectedError(failure);
      }
      // About us or the server: nobody is suppressed, nothing is failed; the claim goes back.
      await persistOutcome(
        'released claim',
        () => releaseClaim(deps.pool, delivery.id, deps.instance, failure),
        context,
      );
      throw error;
    }
    // Outside the failure path: SMTP took it, whatever happens to the write below.
    await persistOutcome(
      'sent',
      () => recordSent(deps.pool, delivery.id, sent.messageId, deps.clock.now()),
      context,
    );
    return { status: 'sent', ...sent, resentAfterCrash: claim.kind === 'resend' };
  });
}
