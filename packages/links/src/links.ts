import { signToken, type TokenPurpose } from './tokens.ts';

export interface LinkSettings {
  publicBaseUrl: string;
  tokenSecret: string;
}

export interface LinkSubject {
  id: string;
  tokenVersion: number;
}

/** The URL path for each purpose; the api serves exactly these. */
export const linkPaths: Record<TokenPurpose, string> = {
  confirm: '/confirm/',
  manage: '/manage/',
  unsubscribe: '/u/',
};

export function personalUrl(
  settings: LinkSettings,
  purpose: TokenPurpose,
  subscriber: LinkSubject,
  expiresAt = 0,
): string {
  const token = signToken(settings.tokenSecret, {
    purpose,
    subscriberId: subscriber.id,
    version: subscriber.tokenVersion,
    expiresAt,
  });
  return `${settings.publicBaseUrl}${linkPaths[purpose]}${token}`;
}

export function confirmUrl(
  settings: LinkSettings,
  subscriber: LinkSubject,
  ttlHours: number,
  now = new Date(),
): string {
  return personalUrl(settings, 'confirm', subscriber, Math.floor(now.getTime() / 1000) + ttlHours * 3600);
}

/** The public, person-free web copy of an edition. */
export function editionUrl(settings: Pick<LinkSettings, 'publicBaseUrl'>, editionId: string): string {
  return `${settings.publicBaseUrl}/digests/${editionId}`;
}
