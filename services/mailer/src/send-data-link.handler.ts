import { findSubscriber, findSuppression } from '@paperboy/db';
import { renderDataLink } from '@paperboy/digest';
import { DATA_LINK_TTL_SECONDS, dataUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { senderDomain } from './mail-identity.ts';

export type DataLinkResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'gone' | 'suppressed' };

/**
 * "Your data link": the one-hour link to export or erase one's data, mailed to the reader's own
 * address because they asked (the manage link alone must not be enough to take or destroy data).
 * An unsubscribed reader still gets it; an address that bounced, complained or was blocked by an
 * operator does not (the same rule as confirmations: only the reader's own reasons give way).
 */
export async function sendDataLink(deps: MailerDeps, subscriberId: string): Promise<DataLinkResult> {
  const subscriber = await findSubscriber(deps.pool, subscriberId);
  if (!subscriber) return { status: 'skipped', reason: 'gone' };
  const suppression = await findSuppression(deps.pool, subscriber.email);
  if (suppression && !suppression.readerMayLift) return { status: 'skipped', reason: 'suppressed' };
  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  const mail = await renderDataLink(
    { dataUrl: dataUrl(links, subscriber), expiresInMinutes: DATA_LINK_TTL_SECONDS / 60 },
    { publicBaseUrl: deps.config.publicBaseUrl, postalAddress: deps.config.postalAddress },
  );
  const sent = await deps.transport.send(
    {
      ref: { kind: 'notice', subscriberId: subscriber.id },
      to: subscriber.email,
      ...mail,
      messageId: `<${subscriber.id}.${Date.now()}.data-link@${senderDomain(deps.config)}>`,
      headers: {},
    },
    deps.config.mailFrom,
  );
  return { status: 'sent', destination: sent.destination };
}
