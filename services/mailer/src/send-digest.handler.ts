import { findDigestToSend, markSent, markSkipped, recordSendFailure, suppress } from '@paperboy/db';
import { personalise } from '@paperboy/digest';
import { editionUrl, personalUrl, voteUrl } from '@paperboy/links';
import { UnrecoverableError } from 'bullmq';
import type { MailerDeps } from './deps.ts';
import { digestMessageId, listId } from './mail-identity.ts';
import { isPermanentFailure } from './transport.ts';

export type SendResult =
  | { status: 'sent'; messageId: string; destination: string }
  | { status: 'skipped'; reason: 'already-sent' | 'suppressed' | 'not-active' | 'not-composed' | 'gone' };

export interface Attempt {
  /** This is the last attempt BullMQ will make: a failure now is recorded as final. */
  isLast: boolean;
}

/**
 * Sends one reader's digest: the shared edition with their personal links filled in, plus the
 * RFC 8058 headers. Suppression is checked again here, right before the send.
 */
export async function sendDigest(
  deps: MailerDeps,
  deliveryId: string,
  attempt: Attempt,
): Promise<SendResult> {
  // Delivery, reader and suppression in one read: this runs once per message.
  const found = await findDigestToSend(deps.pool, deliveryId);
  if (!found) return { status: 'skipped', reason: 'gone' };
  const { delivery, reader: subscriber } = found;
  if (delivery.status === 'sent') return { status: 'skipped', reason: 'already-sent' };
  if (delivery.status !== 'composed' || !delivery.editionId)
    return { status: 'skipped', reason: 'not-composed' };

  if (subscriber?.status !== 'active') {
    await markSkipped(deps.pool, delivery.id, 'not-active');
    return { status: 'skipped', reason: 'not-active' };
  }
  if (subscriber.suppressed) {
    await markSkipped(deps.pool, delivery.id, 'suppressed');
    return { status: 'skipped', reason: 'suppressed' };
  }
  const edition = await deps.editions.get(delivery.editionId);
  if (!edition) throw new Error(`edition ${delivery.editionId} of delivery ${delivery.id} is missing`);

  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  const unsubscribeUrl = personalUrl(links, 'unsubscribe', subscriber);
  const mail = personalise(edition, {
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
  });
  try {
    const sent = await deps.transport.send(
      {
        to: subscriber.email,
        ...mail,
        messageId: digestMessageId(deps.config, delivery.id),
        headers: {
          'List-Unsubscribe': `<${unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Id': listId(deps.config),
        },
      },
      deps.config.mailFrom,
    );
    await markSent(deps.pool, delivery.id, sent.messageId);
    return { status: 'sent', ...sent };
  } catch (error) {
    const message = (error as Error).message;
    if (isPermanentFailure(error)) {
      // A hard bounce: never try this address again, and do not let BullMQ retry.
      // Suppress first: once the delivery reads "failed", the address must already be off the list.
      await suppress(deps.pool, subscriber.email, 'hard-bounce', message.slice(0, 500));
      await recordSendFailure(deps.pool, delivery.id, message, true);
      throw new UnrecoverableError(`permanent SMTP failure: ${message}`);
    }
    await recordSendFailure(deps.pool, delivery.id, message, attempt.isLast);
    throw error;
  }
}
