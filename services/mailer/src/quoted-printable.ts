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

/** A character's UTF-8 bytes as =XX escapes. */
function escapeChar(char: string): string {
  try {
    return encodeURIComponent(char).replace(/%/g, '=');
  } catch {
    // A lone surrogate: whatever UTF-8 makes of it.
    return [...Buffer.from(char, 'utf8')].map(escapeByte).join('');
  }
}

/** One line encoded, then cut into lines of at most 76 with soft breaks, never inside an escape. */
function encodeLine(line: string): string {
  let escaped = line.replace(/[^\t\x20-\x3c\x3e-\x7e]/gu, escapeChar);
  const lastCode = escaped.charCodeAt(escaped.length - 1);
  if (lastCode === 32 || lastCode === 9) escaped = escaped.slice(0, -1) + escapeByte(lastCode);
  if (escaped.length <= MAX_LINE) return escaped;
  let wrapped = '';
  let start = 0;
  while (escaped.length - start > MAX_LINE) {
    let end = start + MAX_LINE - 1;
    const escapeAt = escaped.lastIndexOf('=', end - 1);
    if (escapeAt >= end - 2 && escapeAt > start) end = escapeAt;
    wrapped += `${escaped.slice(start, end)}=\r\n`;
    start = end;
  }
  return wrapped + escaped.slice(start);
}

/**
 * Text (lines separated by CRLF or LF) as quoted-printable with CRLF line breaks. A text that
 * does not end in a line break ends without one, so what follows continues its last line.
 */
export function encodeQuotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) =>
      PLAIN_LINE.test(line) && line.length <= MAX_LINE && !/[ \t]$/.test(line) ? line : encodeLine(line),
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
