import { domainToASCII } from 'node:url';

/**
 * paperboy's one canonical form of an address: what is validated, stored, rate-limited,
 * suppressed (by sha256 of its lower-case form) and sent to. It is deliberately narrower than
 * RFC 5322: a mailbox that needs comments, quotes, source routes or address literals to be written
 * is refused with a 400, because every such form is read differently by different software (the
 * reason `victim@x(1@y.example` once reached `victim@x`).
 *
 * - Spaces around the address are trimmed; anything else is kept or refused, never repaired.
 * - Local part: dot-atom of ASCII letters, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ -,
 *   at most 64 characters, no leading, trailing or double dot. Its case is kept as typed (some
 *   servers still treat it case-sensitively), while uniqueness, limits and suppressions use the
 *   lower-cased address, so Ada@… and ada@… stay one reader.
 * - Domain: lower-cased, an internationalised domain turned into punycode (IDNA via node:url),
 *   at least two labels of letters, digits and hyphens, each 1–63 characters, 253 at most.
 * - The whole address: at most 254 characters (RFC 5321's path limit less the angle brackets).
 */
export type ParsedAddress = { ok: true; address: string } | { ok: false; problem: string };

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_INPUT = /^[\p{L}\p{M}\p{N}.-]+$/u;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

// The first matching rule names the problem, so the message says what to change.
const REFUSALS: [RegExp, string][] = [
  [/[<>]/, 'contains angle brackets; give the bare address, not "Name <address>"'],
  [/[,;]/, 'holds more than one address (a comma or semicolon)'],
  [/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u, 'contains a control or invisible character'],
  [/\s/u, 'contains whitespace'],
  [/[()]/, 'contains a comment in parentheses, which paperboy does not accept'],
  [/"/, 'has a quoted local part, which paperboy does not accept'],
  [/\\/, 'contains a backslash'],
  [/[[\]]/, 'has an address literal in brackets; use a domain name'],
  [/:/, 'contains a colon (a source route or a URL), which paperboy does not accept'],
];

export function parseEmailAddress(input: string): ParsedAddress {
  const refuse = (problem: string): ParsedAddress => ({
    ok: false,
    problem: `is not accepted: it ${problem}`,
  });
  const trimmed = input.trim();
  if (trimmed.length === 0) return refuse('is empty');
  if (trimmed.length > 254) return refuse('is longer than 254 characters');
  for (const [pattern, problem] of REFUSALS) if (pattern.test(trimmed)) return refuse(problem);
  const ats = trimmed.split('@').length - 1;
  if (ats !== 1) return refuse(`must contain exactly one @ (it has ${ats})`);
  const [local = '', rawDomain = ''] = trimmed.split('@');
  if (local.length === 0) return refuse('has nothing before the @');
  if (local.length > 64) return refuse('has more than 64 characters before the @');
  if (/[^\p{ASCII}]/u.test(local))
    return refuse('has non-ASCII characters before the @ (internationalised mailboxes are not supported)');
  if (!LOCAL_PART.test(local))
    return refuse('has a character or dot before the @ that mail software reads differently');
  if (rawDomain.length === 0) return refuse('has no domain after the @');
  if (!DOMAIN_INPUT.test(rawDomain) || rawDomain.startsWith('.') || rawDomain.endsWith('.'))
    return refuse('has a domain that is not a host name (letters, digits, hyphens and dots)');
  const domain = domainToASCII(rawDomain.toLowerCase());
  if (!domain || domain.length > 253) return refuse('has a domain that is not a valid host name');
  const labels = domain.split('.');
  if (labels.length < 2) return refuse('has a domain without a dot');
  if (!labels.every((label) => LABEL.test(label)))
    return refuse('has a domain label that is empty, too long or starts or ends with a hyphen');
  if (!/^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels.at(-1)!))
    return refuse('has a top-level domain that is not a name');
  const address = `${local}@${domain}`;
  if (address.length > 254) return refuse('is longer than 254 characters once the domain is in punycode');
  return { ok: true, address };
}

/** The canonical address, or null; callers that answer a 400 should use parseEmailAddress's problem. */
export function normaliseEmail(input: string): string | null {
  const parsed = parseEmailAddress(input);
  return parsed.ok ? parsed.address : null;
}
