import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What one outgoing message was: a digest delivery, or a mail of some kind to one subscriber.
 * The envelope sender (VERP) carries it signed, so a bounce names its message even when the
 * report around it is mangled or the original headers were stripped.
 */
export type MailRef =
  | { kind: 'digest'; deliveryId: string }
  | { kind: 'confirmation' | 'welcome' | 'notice'; subscriberId: string };

export type MailKind = MailRef['kind'];

const KIND_CODES: Record<MailKind, string> = { digest: 'd', confirmation: 'c', welcome: 'w', notice: 'n' };
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as MailKind]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// 80 bits: forging one needs ~2^80 guesses at an SMTP listener; the local part stays within 64 characters.
const MAC_BYTES = 10;
const TOKEN = new RegExp(`^([a-z])([0-9a-f]{32})([0-9a-f]{${MAC_BYTES * 2}})$`);
const LOCAL_PREFIX = 'bounces+';

function mac(secret: string, code: string, idHex: string): Buffer {
  // The "verp" label binds the MAC to this purpose: no link token can be replayed as one of these.
  return createHmac('sha256', secret).update(`verp|${code}|${idHex}`).digest().subarray(0, MAC_BYTES);
}

function idOf(ref: MailRef): string {
  return ref.kind === 'digest' ? ref.deliveryId : ref.subscriberId;
}

/**
 * Lowercase hex only: local parts are often case-folded on the way back, and `+`, `=` or `/`
 * (base64) do not survive every MTA. `d` + 32 hex (the uuid) + 20 hex (the MAC): 53 characters.
 */
export function signMailRef(secret: string, ref: MailRef): string {
  const id = idOf(ref);
  if (!UUID.test(id)) throw new Error(`a mail reference needs a uuid, got "${id}"`);
  const code = KIND_CODES[ref.kind];
  const idHex = id.replaceAll('-', '');
  return `${code}${idHex}${mac(secret, code, idHex).toString('hex')}`;
}

/** The reference a token names, or null for anything not signed with this secret. */
export function verifyMailRef(secret: string, token: string): MailRef | null {
  const match = TOKEN.exec(token.toLowerCase());
  if (!match) return null;
  const [, code = '', idHex = '', given = ''] = match;
  const kind = KINDS_BY_CODE.get(code);
  if (!kind) return null;
  if (!timingSafeEqual(Buffer.from(given, 'hex'), mac(secret, code, idHex))) return null;
  const id = `${idHex.slice(0, 8)}-${idHex.slice(8, 12)}-${idHex.slice(12, 16)}-${idHex.slice(16, 20)}-${idHex.slice(20)}`;
  return kind === 'digest' ? { kind, deliveryId: id } : { kind, subscriberId: id };
}

/** `bounces+<token>@<bounceDomain>`: the envelope sender (Return-Path) of one message. */
export function verpAddress(secret: string, ref: MailRef, bounceDomain: string): string {
  return `${LOCAL_PREFIX}${signMailRef(secret, ref)}@${bounceDomain.toLowerCase()}`;
}

/**
 * The reference in an address like `bounces+<token>@<bounceDomain>` (any case, optional angle
 * brackets), or null: wrong domain, no token, or a token this secret did not sign.
 */
export function mailRefFromAddress(secret: string, address: string, bounceDomain: string): MailRef | null {
  const bare = address.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = bare.lastIndexOf('@');
  if (at < 0 || bare.slice(at + 1) !== bounceDomain.toLowerCase()) return null;
  const local = bare.slice(0, at);
  if (!local.startsWith(LOCAL_PREFIX)) return null;
  return verifyMailRef(secret, local.slice(LOCAL_PREFIX.length));
}

/** Every VERP address of ours found anywhere in a text (a mangled report still quotes it). */
export function findMailRefs(secret: string, text: string, bounceDomain: string): MailRef[] {
  const domain = bounceDomain.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${LOCAL_PREFIX.replace('+', '\\+')}[a-z0-9]{1,80}@${domain}`, 'gi');
  const found = new Map<string, MailRef>();
  for (const match of text.matchAll(pattern)) {
    const ref = mailRefFromAddress(secret, match[0], bounceDomain);
    if (ref) found.set(`${ref.kind}:${idOf(ref)}`, ref);
  }
  return [...found.values()];
}
