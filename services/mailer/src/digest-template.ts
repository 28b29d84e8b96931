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
type Slot =
  | { header: 'to' | 'date' | 'messageId' | 'unsubscribeUrl' }
  | { link: LinkSlot; as: 'html-7bit' | 'html-qp' | 'text-qp' };

/** Literal bytes of the message (ASCII), or a reader's value. */
export type TemplatePiece = Buffer | Slot;

export interface DigestTemplate {
  editionId: string;
  pieces: TemplatePiece[];
}

export interface ReaderValues {
  to: string;
  date: string;
  messageId: string;
  links: LinkValues;
}

/** SMTP's limit is 998 characters per line; links are bounded well below this margin. */
const MAX_7BIT_LINE = 998;
const LINK_ALLOWANCE = 400;

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

/**
 * An ASCII HTML part whose lines stay under SMTP's limit even with every link filled in goes as
 * 7bit, with no encoding at all; anything else as quoted-printable.
 */
function fitsSevenBit(html: string): boolean {
  if (/[^\p{ASCII}]/u.test(html)) return false;
  return html.split('\n').every((line) => {
    const links = line.split('%%PB_').length - 1;
    return line.length + links * LINK_ALLOWANCE <= MAX_7BIT_LINE;
  });
}

/**
 * A part's pieces: literal text encoded once, links left as slots. Quoted-printable lines are
 * wrapped on their own, and a soft line break closes the text before each link and the link
 * itself, so a filled-in link never lengthens a line past 76 or splits an escape.
 */
function partPieces(body: string, as: 'html-7bit' | 'html-qp' | 'text-qp'): (string | Slot)[] {
  return splitAtLinks(crlf(body)).map((piece) => {
    if (typeof piece !== 'string') return { link: piece, as };
    if (as === 'html-7bit') return piece;
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
  const htmlAs = fitsSevenBit(edition.html) ? 'html-7bit' : 'html-qp';
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
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`,
    ...partPieces(edition.text, 'text-qp'),
    `\r\n--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n`,
    `Content-Transfer-Encoding: ${htmlAs === 'html-7bit' ? '7bit' : 'quoted-printable'}\r\n\r\n`,
    ...partPieces(edition.html, htmlAs),
    `\r\n--${boundary}--\r\n`,
  ];
  return { editionId: edition.id, pieces: mergeLiterals(pieces) };
}

/** Neighbouring literals joined and turned into bytes once, so a message is a few copies. */
function mergeLiterals(pieces: (string | Slot)[]): TemplatePiece[] {
  const merged: (string | Slot)[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (typeof piece === 'string' && typeof last === 'string') merged[merged.length - 1] = last + piece;
    else if (piece !== '') merged.push(piece);
  }
  return merged.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece));
}

function slotText(slot: Slot, values: ReaderValues): string {
  if ('header' in slot) {
    if (slot.header === 'unsubscribeUrl') return values.links.fixed.unsubscribeUrl;
    return values[slot.header];
  }
  const url = values.links.of(slot.link);
  if (slot.as === 'html-7bit') return escapeHtml(url);
  return encodeLinkQuotedPrintable(slot.as === 'html-qp' ? escapeHtml(url) : url);
}

/** One reader's message: the template's bytes with their values between, in one buffer. */
export function fillDigestTemplate(template: DigestTemplate, values: ReaderValues): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  for (const piece of template.pieces) {
    const part = Buffer.isBuffer(piece) ? piece : Buffer.from(slotText(piece, values), 'latin1');
    parts.push(part);
    length += part.length;
  }
  return Buffer.concat(parts, length);
}

/** The Date header for a moment, as nodemailer writes it. */
export function dateHeader(at: Date): string {
  return at.toUTCString().replace(/GMT/, '+0000');
}

/** Whether an address can go in the raw message's To header as it is (no encoding needed). */
export function isPlainAddress(address: string): boolean {
  return /^[\x21-\x7e]+$/.test(address);
}
