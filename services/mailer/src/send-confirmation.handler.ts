import {
  claimConfirmationSend,
  findSubscriber,
  findSuppression,
  releaseConfirmationClaim,
} from '@paperboy/db';
import { renderConfirmation } from '@paperboy/digest';
import { confirmUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { senderDomain } from './mail-identity.ts';

export type ConfirmationResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'not-pending' | 'sent-recently' | 'suppressed' };

// Signing up again overrides the reader's own unsubscribe or erasure, but never a bounce, a
// complaint or an operator's block: mail to those addresses harms the sender's reputation.
const BLOCKS_CONFIRMATION = new Set(['hard-bounce', 'complaint', 'manual']);

export async function sendConfirmation(deps: MailerDeps, subscriberId: string): Promise<ConfirmationResult> {
  const subscriber = await findSubscriber(deps.pool, subscriberId);
  if (subscriber?.status !== 'pending') return { status: 'skipped', reason: 'not-pending' };
  const suppression = await findSuppression(deps.pool, subscriber.email);
  if (suppression && BLOCKS_CONFIRMATION.has(suppression.reason))
    return { status: 'skipped', reason: 'suppressed' };
  // A confirmation is asked for by whoever knows an address; the claim bounds what they can make us send.
  if (!(await claimConfirmationSend(deps.pool, subscriber.id, deps.config.confirmationResendMinutes * 60))) {
    return { status: 'skipped', reason: 'sent-recently' };
  }
  const url = confirmUrl(
    { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret },
    subscriber,
    deps.config.confirmationTtlHours,
  );
  const mail = await renderConfirmation(
    { confirmUrl: url, expiresInHours: deps.config.confirmationTtlHours },
    { publicBaseUrl: deps.config.publicBaseUrl, postalAddress: deps.config.postalAddress },
  );
  try {
    const sent = await deps.transport.send(
      {
        ref: { kind: 'confirmation', subscriberId: subscriber.id },
        to: subscriber.email,
        ...mail,
        messageId: `<${subscriber.id}.${Date.now()}.confirm@${senderDomain(deps.config)}>`,
        headers: {},
      },
      deps.config.mailFrom,
    );
    return { status: 'sent', destination: sent.destination };
  } catch (error) {
    await releaseConfirmationClaim(deps.pool, subscriber.id);
    throw error;
  }
}
