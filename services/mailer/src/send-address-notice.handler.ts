import { isSuppressed, returnAddressNotice, takeAddressNotice } from '@paperboy/db';
import { renderAddressNotice } from '@paperboy/digest';
import type { MailerDeps } from './deps.ts';
import { senderDomain } from './mail-identity.ts';

export type AddressNoticeResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'already-sent' | 'suppressed' };

/**
 * Tells the address the digests left that they moved, once: the old address is taken from the
 * change as the notice goes (takeAddressNotice), and given back only if sending failed.
 */
export async function sendAddressNotice(deps: MailerDeps, changeId: string): Promise<AddressNoticeResult> {
  const notice = await takeAddressNotice(deps.pool, changeId);
  if (!notice) return { status: 'skipped', reason: 'already-sent' };
  // A bounced or complaining old address is not mailed, notice or not.
  if (await isSuppressed(deps.pool, notice.oldEmail)) return { status: 'skipped', reason: 'suppressed' };
  const mail = await renderAddressNotice(
    { newEmail: notice.newEmail },
    { publicBaseUrl: deps.config.publicBaseUrl, postalAddress: deps.config.postalAddress },
  );
  try {
    const sent = await deps.transport.send(
      {
        ref: { kind: 'notice', subscriberId: notice.subscriberId },
        to: notice.oldEmail,
        ...mail,
        messageId: `<${changeId}.${Date.now()}.address-notice@${senderDomain(deps.config)}>`,
        headers: {},
      },
      deps.config.mailFrom,
    );
    return { status: 'sent', destination: sent.destination };
  } catch (error) {
    await returnAddressNotice(deps.pool, changeId, notice.oldEmail);
    throw error;
  }
}
