import { findSubscriber, findSuppression } from '@paperboy/db';
import { renderWelcome } from '@paperboy/digest';
import { personalUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { listId, senderDomain } from './mail-identity.ts';
import { sendClassified } from './send-failure.ts';

export type WelcomeResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'not-active' | 'suppressed' };

/** The first mail after confirming: when digests will come, and the links to change or stop them. */
export async function sendWelcome(deps: MailerDeps, subscriberId: string): Promise<WelcomeResult> {
  const subscriber = await findSubscriber(deps.pool, subscriberId);
  if (subscriber?.status !== 'active') return { status: 'skipped', reason: 'not-active' };
  // Confirming lifted the reader's own suppressions; whatever is left (a bounce, a complaint, an
  // operator's block) confirming could not lift, so it blocks this mail too.
  if (await findSuppression(deps.pool, subscriber.email)) return { status: 'skipped', reason: 'suppressed' };
  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  const unsubscribeUrl = personalUrl(links, 'unsubscribe', subscriber);
  const mail = await renderWelcome(
    {
      manageUrl: personalUrl(links, 'manage', subscriber),
      unsubscribeUrl,
      sendHour: subscriber.sendHour,
      timezone: subscriber.timezone,
      topics: subscriber.topics,
    },
    { publicBaseUrl: deps.config.publicBaseUrl, postalAddress: deps.config.postalAddress },
  );
  const sent = await sendClassified(
    deps.transport,
    {
      ref: { kind: 'welcome', subscriberId: subscriber.id },
      to: subscriber.email,
      ...mail,
      messageId: `<${subscriber.id}.${deps.clock.now().getTime()}.welcome@${senderDomain(deps.config)}>`,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': listId(deps.config),
      },
    },
    deps.config.mailFrom,
  );
  return { status: 'sent', destination: sent.destination };
}
