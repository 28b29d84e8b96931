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
import { sendClassified } from './send-failure.ts';

export type ConfirmationResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'not-pending' | 'sent-recently' | 'suppressed' };

export async function sendConfirmation(deps: MailerDeps, subscriberId: string): Promise<ConfirmationResult> {
  const subscriber = await findSubscriber(deps.pool, subscriberId);
  if (subscriber?.status !== 'pending') return { status: 'skipped', reason: 'not-pending' };
  const suppression = await findSuppression(deps.pool, subscriber.email);
  // Signing up again may override the reader's own unsubscribe or erasure (readerMayLift), never a
  // complaint, a hard bounce, an operator's block or any reason added later: mail to those
  // addresses harms the sender's reputation. Only the admin API lifts them.
  if (suppression && !suppression.readerMayLift) return { status: 'skipped', reason: 'suppressed' };
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
    const sent = await sendClassified(
      deps.transport,
      {
        ref: { kind: 'confirmation', subscriberId: subscriber.id },
        to: subscriber.email,
        ...mail,
        messageId: `<${subscriber.id}.${deps.clock.now().getTime()}.confirm@${senderDomain(deps.config)}>`,
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
