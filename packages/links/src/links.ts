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
  data: '/data/',
  feed: '/feeds/reader/',
};

/** How long a "your data" link works: export and erase need a fresh link, mailed on request. */
export const DATA_LINK_TTL_SECONDS = 3600;

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

/** The link to the export and erase page, valid for DATA_LINK_TTL_SECONDS from `now`. */
export function dataUrl(settings: LinkSettings, subscriber: LinkSubject, now = new Date()): string {
  return personalUrl(settings, 'data', subscriber, Math.floor(now.getTime() / 1000) + DATA_LINK_TTL_SECONDS);
}

/** The public, person-free web copy of an edition. */
export function editionUrl(settings: Pick<LinkSettings, 'publicBaseUrl'>, editionId: string): string {
  return `${settings.publicBaseUrl}/digests/${editionId}`;
}

/** What a personal feed link is signed against: the reader's link version and feed link version. */
export interface FeedLinkSubject extends LinkSubject {
  feedLinkVersion: number;
}

/**
 * The version a feed token carries. "Sign out all links" bumps tokenVersion, "new feed link" bumps
 * feedLinkVersion; both only ever grow, so their sum grows with every bump of either, and a token
 * signed before any bump can never match again. One number keeps the token format unchanged.
 */
export function feedTokenVersion(subject: FeedLinkSubject): number {
  return subject.tokenVersion + subject.feedLinkVersion;
}

/** The reader's private Atom feed of their own digests; it never expires, it is revoked. */
export function personalFeedUrl(settings: LinkSettings, subject: FeedLinkSubject): string {
  return personalUrl(settings, 'feed', { id: subject.id, tokenVersion: feedTokenVersion(subject) });
}
