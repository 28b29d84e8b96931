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
  vote: '/vote/',
  'change-address': '/address/',
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

export type VoteDirection = 'more' | 'less';

/** A vote token's target in links mailed before votes were signed per edition: one paper, one direction. */
export function voteTarget(direction: VoteDirection, paperId: string): string {
  return `${direction}:${paperId}`;
}

/** The target of a reader's vote token for one digest: the edition whose papers it may vote on. */
export function editionVoteTarget(editionId: string): string {
  return `edition:${editionId}`;
}

export type VoteTarget =
  | { kind: 'paper'; direction: VoteDirection; paperId: string }
  | { kind: 'edition'; editionId: string };

/** What a verified vote token may vote on, or null for anything else. */
export function parseVoteTarget(target: string | undefined): VoteTarget | null {
  const edition = /^edition:(.+)$/s.exec(target ?? '');
  if (edition) return { kind: 'edition', editionId: edition[1]! };
  const paper = /^(more|less):(.+)$/s.exec(target ?? '');
  return paper ? { kind: 'paper', direction: paper[1] as VoteDirection, paperId: paper[2]! } : null;
}

/**
 * "More like this" / "less like this" for the papers of one reader's digest:
 * `/vote/<token>/<position>/<direction>`. The token names the reader and the edition and is
 * signed once per mail; the paper's position in the edition and the direction follow it
 * unsigned. Holding the token shows the reader received that edition, and every paper of it, in
 * both directions, is in the same mail, so there is nothing to forge by editing them; a position
 * outside the edition is refused. (One token per paper and direction made 20 HMACs per digest, a
 * sixth of the mailer's CPU.) Tokens of the older per-paper form still work: see parseVoteTarget.
 */
export function editionVoteUrls(
  settings: LinkSettings,
  subscriber: LinkSubject,
  editionId: string,
): (position: number, direction: VoteDirection) => string {
  const token = signToken(settings.tokenSecret, {
    purpose: 'vote',
    subscriberId: subscriber.id,
    version: subscriber.tokenVersion,
    expiresAt: 0,
    target: editionVoteTarget(editionId),
  });
  const base = `${settings.publicBaseUrl}${linkPaths.vote}${token}/`;
  return (position, direction) => `${base}${position}/${direction}`;
}

/** The link in the mail to a new address that moves the reader's digests there; it expires. */
export function changeAddressUrl(
  settings: LinkSettings,
  subscriber: LinkSubject,
  changeId: string,
  expiresAt: Date,
): string {
  const token = signToken(settings.tokenSecret, {
    purpose: 'change-address',
    subscriberId: subscriber.id,
    version: subscriber.tokenVersion,
    expiresAt: Math.floor(expiresAt.getTime() / 1000),
    target: changeId,
  });
  return `${settings.publicBaseUrl}${linkPaths['change-address']}${token}`;
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
