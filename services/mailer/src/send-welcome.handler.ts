import { findSubscriber } from '@paperboy/db';
import { renderWelcome } from '@paperboy/digest';
import { personalUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { listId, senderDomain } from './mail-identity.ts';

export type WelcomeResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'not-active' };

/** The first mail after confirming: when digests will come, and the links to change or stop them. */
export async function sendWelcome(deps: MailerDeps, subscriberId: string): Promise<WelcomeResult> {
  const subscriber = await findSubscriber(deps.pool, subscriberId);
  if (subscriber?.status !== 'active') return { status: 'skipped', reason: 'not-active' };
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
  const sent = await deps.transport.send(
    {
      ref: { kind: 'welcome', subscriberId: subscriber.id },
      to: subscriber.email,
      ...mail,
      messageId: `<${subscriber.id}.${Date.now()}.welcome@${senderDomain(deps.config)}>`,
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
