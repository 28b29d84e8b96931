import { domainToASCII } from 'node:url';

/**
 * Trims, lower-cases the domain (domains are case-insensitive; local parts, strictly, are not)
 * and turns an internationalised domain into punycode, so one mailbox is one row.
 * Returns null for anything that is not a plausible single address.
 */
export function normaliseEmail(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length > 254 || /[\s<>,;"]/.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  const local = trimmed.slice(0, at);
  const domain = domainToASCII(trimmed.slice(at + 1).toLowerCase());
  if (local.length > 64 || !domain || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) return null;
  if (domain.split('.').some((label) => label.length === 0 || label.length > 63 || label.startsWith('-')))
    return null;
  return `${local}@${domain}`;
}
