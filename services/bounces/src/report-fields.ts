/**
 * The `Name: value` blocks of a message/delivery-status (RFC 3464) or message/feedback-report
 * (RFC 5965) part: folded lines joined, one record per block (blocks are separated by blank
 * lines; a DSN's first block is about the message, each further one about one recipient).
 */
export function fieldBlocks(body: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  for (const block of body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
    }
    if (fields.size > 0) blocks.push(fields);
  }
  return blocks;
}

/** `rfc822; ada@example.org` -> `ada@example.org` (address-type prefix and brackets removed). */
export function addressOf(value: string | undefined): string | null {
  if (!value) return null;
  const address = value
    .replace(/^[a-z0-9-]+\s*;\s*/i, '')
    .replace(/^<|>$/g, '')
    .trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : null;
}

/** An RFC 3463 enhanced status code (`5.1.1`), or null. */
export function enhancedStatus(value: string | undefined): string | null {
  return /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(value ?? '')?.[0] ?? null;
}
