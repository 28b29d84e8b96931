/*
 * Quoted-printable (RFC 2045 6.7) for what the mailer writes itself: a part's text once per
 * edition, and the reader's links in it once per message. Lines that are already plain ASCII
 * (most of them) are copied as they are; only the rest is encoded byte by byte.
 */

const MAX_LINE = 76;
const HEX = '0123456789ABCDEF';
// Printable ASCII but '=', plus space and tab; a line of only these, short enough, needs no work.
const PLAIN_LINE = /^[\t\x20-\x3c\x3e-\x7e]*$/;

function escapeByte(byte: number): string {
  return `=${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

/** One line's characters as quoted-printable tokens (a literal character or an =XX escape). */
function tokens(line: string): string[] {
  const out: string[] = [];
  const bytes = Buffer.from(line, 'utf8');
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index]!;
    const last = index === bytes.length - 1;
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    out.push(literal ? String.fromCharCode(byte) : escapeByte(byte));
  }
  return out;
}

/** Tokens into lines of at most 76 characters, each but the last ending in a soft break ("="). */
function wrapTokens(parts: string[]): string {
  let result = '';
  let length = 0;
  for (const part of parts) {
    if (length + part.length > MAX_LINE - 1) {
      result += '=\r\n';
      length = 0;
    }
    result += part;
    length += part.length;
  }
  return result;
}

/**
 * Text (lines separated by CRLF or LF) as quoted-printable with CRLF line breaks. A text that
 * does not end in a line break ends without one, so what follows continues its last line.
 */
export function encodeQuotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) =>
      PLAIN_LINE.test(line) && line.length <= MAX_LINE && !/[ \t]$/.test(line)
        ? line
        : wrapTokens(tokens(line)),
    )
    .join('\r\n');
}

/**
 * A link (ASCII, no line breaks) as it goes into a quoted-printable part on lines of its own:
 * '=' escaped, soft breaks every 75 characters, and a soft break at its end so the text after it
 * starts a fresh line.
 */
export function encodeLinkQuotedPrintable(url: string): string {
  const escaped = url.includes('=') ? url.replace(/=/g, '=3D') : url;
  if (escaped.length <= MAX_LINE - 1) return `${escaped}=\r\n`;
  let result = '';
  let start = 0;
  while (start < escaped.length) {
    let end = Math.min(start + MAX_LINE - 1, escaped.length);
    // Never split an =XX escape across lines.
    const escapeAt = escaped.lastIndexOf('=', end - 1);
    if (end < escaped.length && escapeAt > end - 3 && escapeAt >= start) end = escapeAt;
    result += `${escaped.slice(start, end)}=\r\n`;
    start = end;
  }
  return result;
}
