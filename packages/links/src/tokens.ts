import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a link may do. A token signed for one purpose never works for another. `data` opens the
 * export and erase page; it is only ever mailed on request and expires after an hour. `feed` opens a reader's own Atom feed.
 */
export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe' | 'data' | 'feed' | 'vote' | 'change-address';

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: string;
  /** The subscriber's token version when issued; bumping the version revokes older tokens. */
  version: number;
  /** Unix seconds after which the token is refused; 0 = does not expire. */
  expiresAt: number;
  /**
   * What the link acts on, for purposes that act on something besides the reader: a vote's
   * direction and paper ("more:2401.12345"), an address change's id. Signed like the rest.
   */
  target?: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'wrong-purpose' };

const PURPOSES: readonly TokenPurpose[] = [
  'confirm',
  'manage',
  'unsubscribe',
  'data',
  'feed',
  'vote',
  'change-address',
];
// Purposes whose links act on something: their tokens must carry a target, the others must not.
const TARGETED: ReadonlySet<TokenPurpose> = new Set(['vote', 'change-address']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/**
 * `<payload>.<mac>`, both base64url. The payload holds the purpose, the subscriber's opaque id,
 * the token version and the expiry: no email address, nothing a reader of the link learns.
 */
export function signToken(secret: string, claims: TokenClaims): string {
  const target = claims.target === undefined ? '' : `|${claims.target}`;
  const payload = Buffer.from(
    `${claims.purpose}|${claims.subscriberId}|${claims.version}|${claims.expiresAt}${target}`,
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function verifyToken(
  secret: string,
  token: string,
  expectedPurpose: TokenPurpose,
  now: Date = new Date(),
): TokenCheck {
  if (token.length > 512) return { ok: false, reason: 'malformed' };
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  // Compared as text, not as decoded bytes: base64url decoding ignores the spare bits of the last
  // character, so a link altered there would otherwise still verify.
  const expected = Buffer.from(mac(secret, payload).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  const [purpose, subscriberId, version, expiresAt, ...rest] = Buffer.from(payload, 'base64url')
    .toString('utf8')
    .split('|');
  const claims: TokenClaims = {
    purpose: purpose as TokenPurpose,
    subscriberId: subscriberId ?? '',
    version: Number(version),
    expiresAt: Number(expiresAt),
  };
  // A target may itself hold '|' (paper ids are opaque): it is everything after the fourth.
  if (rest.length > 0) claims.target = rest.join('|');
  if (
    !PURPOSES.includes(claims.purpose) ||
    !UUID.test(claims.subscriberId) ||
    !Number.isInteger(claims.version) ||
    TARGETED.has(claims.purpose) !== (claims.target !== undefined && claims.target.length > 0)
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.purpose !== expectedPurpose) return { ok: false, reason: 'wrong-purpose' };
  if (claims.expiresAt !== 0 && claims.expiresAt * 1000 < now.getTime())
    return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
