import type { Edition } from '@paperboy/db';
import { escapeHtml, type LinkSlot, type LinkValues, splitAtLinks } from '@paperboy/digest';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encodeLinkQuotedPrintable, encodeQuotedPrintable } from './quoted-printable.ts';

/*
 * A digest's message is the same bytes for every reader of an edition but for a few headers and
 * the links. Building it with nodemailer for each reader (MIME tree, encoding ~40 KB, line
 * wrapping) was most of the mailer's CPU; here an edition's message is encoded once, cut where the
 * personal parts go, and each reader's message is those pieces joined with their own values.
 */

/** A value that differs per reader, and how it is written where it goes. */
type Slot = { header: 'to' | 'date' | 'messageId' | 'unsubscribeUrl' } | { link: LinkSlot; as: PartEncoding };

/** How a part is written: as it is (7bit ASCII, 8bit UTF-8) or quoted-printable. */
type PartEncoding = 'html-7bit' | 'html-qp' | 'text-8bit' | 'text-qp';

/** Literal bytes of the message (ASCII), or a reader's value. */
export type TemplatePiece = Buffer | Slot;

/** A line that holds readers' values: its fixed bytes, and which pieces are its values. */
interface LineWithValues {
  fixed: number;
  slots: number[];
}

export interface DigestTemplate {
  editionId: string;
  pieces: TemplatePiece[];
  /** Checked per message: with the reader's values in, each of these lines must stay within 998. */
  linesWithValues: LineWithValues[];
}

export interface ReaderValues {
  to: string;
  date: string;
  messageId: string;
  links: LinkValues;
}

/** SMTP's limit is 998 characters per line. */
const MAX_LINE = 998;

const isPlainAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);

/** A header value as nodemailer writes it: ASCII as is, anything else as folded encoded words. */
function headerText(name: string, value: string): string {
  if (isPlainAscii(value)) return `${name}: ${value}`;
  return foldLines(`${name}: ${encodeWords(value, 'Q', 52)}`, 76);
}

/** The From header: a display name that is not ASCII is encoded; the address never is. */
function fromHeader(from: string): string {
  if (isPlainAscii(from)) return `From: ${from}`;
  const match = /^\s*"?(.*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (!match) return headerText('From', from);
  return `From: ${encodeWords(match[1]!, 'Q', 52)} <${match[2]}>`;
}

const crlf = (value: string) => value.replace(/\r?\n/g, '\r\n');

/** Whether a string is ASCII: then its UTF-8 bytes are its characters, one each. */
const isAscii = (value: string) => Buffer.byteLength(value, 'utf8') === value.length;

/** The longest line's length in UTF-16 code units, by indexOf (an edition's ~300 lines in ~3 µs). */
function longestLine(body: string): number {
  let longest = 0;
  for (let start = 0; ; ) {
    const end = body.indexOf('\n', start);
    const length = (end < 0 ? body.length : end) - start;
    if (length > longest) longest = length;
    if (end < 0) return longest;
    start = end + 1;
  }
}

/**
 * Whether every line stays under SMTP's limit (in bytes) before links go in (checked again per
 * message). A UTF-16 code unit is at most 3 bytes of UTF-8 (1 in ASCII), so a body whose longest
 * line is short enough fits without measuring each line's bytes: that was 30 µs per part, for
 * every edition a mailer sees.
 */
function linesFit(body: string, ascii: boolean): boolean {
  if (longestLine(body) * (ascii ? 1 : 3) <= MAX_LINE) return true;
  return body
    .split('\n')
    .every((line) => Buffer.byteLength(line.replace(/%%PB_\w+%%/g, ''), 'utf8') <= MAX_LINE);
}

/**
 * A part goes as it is when its lines fit: the HTML (made ASCII by the renderer) as 7bit, the
 * text as 8bit UTF-8 (RFC 6152; every server we send to offers 8BITMIME). Anything else is
 * quoted-printable. Writing a part as it is costs nothing per edition or per link.
 */
function htmlEncoding(html: string): PartEncoding {
  return isAscii(html) && linesFit(html, true) ? 'html-7bit' : 'html-qp';
}

function textEncoding(text: string): PartEncoding {
  return linesFit(text, isAscii(text)) ? 'text-8bit' : 'text-qp';
}

const CRLF = Buffer.from('\r\n');

/** The lines that hold values, with their fixed length, found once per template. */
function linesWithValues(pieces: TemplatePiece[]): LineWithValues[] {
  const lines: LineWithValues[] = [];
  let fixed = 0;
  let slots: number[] = [];
  pieces.forEach((piece, index) => {
    if (!Buffer.isBuffer(piece)) {
      slots.push(index);
      return;
    }
    const firstBreak = piece.indexOf(CRLF);
    if (firstBreak < 0) {
      fixed += piece.length;
      return;
    }
    if (slots.length > 0) lines.push({ fixed: fixed + firstBreak, slots });
    fixed = piece.length - piece.lastIndexOf(CRLF) - 2;
    slots = [];
  });
  if (slots.length > 0) lines.push({ fixed, slots });
  return lines;
}

const TRANSFER_ENCODING: Record<PartEncoding, string> = {
  'html-7bit': '7bit',
  'text-8bit': '8bit',
  'html-qp': 'quoted-printable',
  'text-qp': 'quoted-printable',
};

/**
 * A part's pieces: literal text encoded once, links left as slots. Quoted-printable lines are
 * wrapped on their own, and a soft line break closes the text before each link and the link
 * itself, so a filled-in link never lengthens a line past 76 or splits an escape.
 */
function partPieces(body: string, as: PartEncoding): (string | Slot)[] {
  return splitAtLinks(crlf(body)).map((piece) => {
    if (typeof piece !== 'string') return { link: piece, as };
    if (as === 'html-7bit' || as === 'text-8bit') return piece;
    const encoded = encodeQuotedPrintable(piece);
    return encoded.endsWith('\r\n') || encoded === '' ? encoded : `${encoded}=\r\n`;
  });
}

/** An edition's message with the reader's parts left open. Built once per edition and mailer. */
export function buildDigestTemplate(
  edition: Edition,
  identity: { from: string; listId: string },
): DigestTemplate {
  const boundary = `--_pb-${edition.id.slice(0, 24)}-alt`;
  const htmlAs = htmlEncoding(edition.html);
  const textAs = textEncoding(edition.text);
  const pieces: (string | Slot)[] = [
    'List-Unsubscribe: <',
    { header: 'unsubscribeUrl' },
    '>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n',
    `${headerText('List-ID', identity.listId)}\r\n`,
    `${fromHeader(identity.from)}\r\nTo: `,
    { header: 'to' },
    `\r\n${headerText('Subject', edition.subject)}\r\nMessage-ID: `,
    { header: 'messageId' },
    '\r\nDate: ',
    { header: 'date' },
    '\r\nMIME-Version: 1.0\r\n',
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"\r\n\r\n`,
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n`,
    `Content-Transfer-Encoding: ${TRANSFER_ENCODING[textAs]}\r\n\r\n`,
    ...partPieces(edition.text, textAs),
    `\r\n--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n`,
    `Content-Transfer-Encoding: ${TRANSFER_ENCODING[htmlAs]}\r\n\r\n`,
    ...partPieces(edition.html, htmlAs),
    `\r\n--${boundary}--\r\n`,
  ];
  const merged = mergeLiterals(pieces);
  return { editionId: edition.id, pieces: merged, linesWithValues: linesWithValues(merged) };
}

/** Bytes a template holds: its literal pieces share one buffer, plus a little per piece. */
export function templateBytes(template: DigestTemplate): number {
  const literal = template.pieces.find((piece): piece is Buffer => Buffer.isBuffer(piece));
  return (literal?.buffer.byteLength ?? 0) + 64 * template.pieces.length;
}

/** Neighbouring literals joined and turned into (UTF-8) bytes once, so a message is a few pieces. */
function mergeLiterals(pieces: (string | Slot)[]): TemplatePiece[] {
  const merged: (string | Slot)[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (typeof piece === 'string' && typeof last === 'string') merged[merged.length - 1] = last + piece;
    else if (piece !== '') merged.push(piece);
  }
  // One allocation for all of them, each piece a view into it: small Buffers would each come from
  // (and keep alive) an 8 KB slab of Node's pool, hundreds of KB per cached edition.
  const bytes = Buffer.from(merged.filter((piece) => typeof piece === 'string').join(''), 'utf8');
  let offset = 0;
  return merged.map((piece) => {
    if (typeof piece !== 'string') return piece;
    const length = Buffer.byteLength(piece, 'utf8');
    offset += length;
    return bytes.subarray(offset - length, offset);
  });
}

function slotText(slot: Slot, values: ReaderValues): string {
  if ('header' in slot) {
    if (slot.header === 'unsubscribeUrl') return values.links.fixed.unsubscribeUrl;
    return values[slot.header];
  }
  const url = values.links.of(slot.link);
  if (slot.as === 'html-7bit') return escapeHtml(url);
  if (slot.as === 'text-8bit') return url;
  return encodeLinkQuotedPrintable(slot.as === 'html-qp' ? escapeHtml(url) : url);
}

/**
 * One reader's message: the template's bytes with their values between, written into one buffer
 * (one allocation and copy per message, rather than a small buffer per value and a socket write
 * per piece). Null if the reader's links would make a line longer than SMTP allows (then
 * nodemailer writes the message).
 */
export function fillDigestTemplate(template: DigestTemplate, values: ReaderValues): Buffer[] | null {
  // Values are ASCII (addresses, dates, URLs), written as latin1: one byte per character.
  const texts = template.pieces.map((piece) => (Buffer.isBuffer(piece) ? null : slotText(piece, values)));
  const lengthOf = (index: number) => {
    const piece = template.pieces[index]!;
    return Buffer.isBuffer(piece) ? piece.length : texts[index]!.length;
  };
  for (const line of template.linesWithValues) {
    let length = line.fixed;
    for (const index of line.slots) length += lengthOf(index);
    if (length > MAX_LINE) return null;
  }
  let total = 0;
  for (let index = 0; index < template.pieces.length; index += 1) total += lengthOf(index);
  const message = Buffer.allocUnsafe(total);
  let offset = 0;
  template.pieces.forEach((piece, index) => {
    if (Buffer.isBuffer(piece)) offset += piece.copy(message, offset);
    else offset += message.write(texts[index]!, offset, 'latin1');
  });
  return [message];
}

/** The Date header for a moment, as nodemailer writes it. */
export function dateHeader(at: Date): string {
  return at.toUTCString().replace(/GMT/, '+0000');
}

/** Whether an address can go in the raw message's To header as it is (no encoding needed). */
export function isPlainAddress(address: string): boolean {
  return /^[\x21-\x7e]+$/.test(address);
}
