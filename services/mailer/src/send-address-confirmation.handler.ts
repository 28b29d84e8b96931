import { claimAddressConfirmation, releaseAddressConfirmation } from '@paperboy/db';
import { renderAddressConfirmation } from '@paperboy/digest';
import { changeAddressUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { senderDomain } from './mail-identity.ts';

export type AddressConfirmationResult =
  | { status: 'sent'; destination: string }
  | { status: 'skipped'; reason: 'not-due' };

/**
 * Mails the confirmation link for a change of address to the new address. The claim decides
 * whether it may go (claimAddressConfirmation: open request, address free and not suppressed,
 * none sent recently); when not, nothing goes and nobody learns why: the reader was told the
 * same "if this address can receive mail" either way.
 */
export async function sendAddressConfirmation(
  deps: MailerDeps,
  changeId: string,
): Promise<AddressConfirmationResult> {
  const claim = await claimAddressConfirmation(
    deps.pool,
    changeId,
    deps.config.confirmationResendMinutes * 60,
  );
  if (!claim) return { status: 'skipped', reason: 'not-due' };
  const url = changeAddressUrl(
    { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret },
    { id: claim.subscriberId, tokenVersion: claim.tokenVersion },
    claim.changeId,
    claim.expiresAt,
  );
  const hoursLeft = Math.max(1, Math.round((claim.expiresAt.getTime() - Date.now()) / 3_600_000));
  const mail = await renderAddressConfirmation(
    { confirmUrl: url, newEmail: claim.newEmail, expiresInHours: hoursLeft },
    { publicBaseUrl: deps.config.publicBaseUrl, postalAddress: deps.config.postalAddress },
  );
  try {
    const sent = await deps.transport.send(
      {
        ref: { kind: 'notice', subscriberId: claim.subscriberId },
        to: claim.newEmail,
        ...mail,
        messageId: `<${claim.changeId}.${Date.now()}.address@${senderDomain(deps.config)}>`,
        headers: {},
      },
      deps.config.mailFrom,
    );
    return { status: 'sent', destination: sent.destination };
  } catch (error) {
    await releaseAddressConfirmation(deps.pool, claim.changeId);
    throw error;
  }
}
