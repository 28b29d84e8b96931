import { describe, expect, it } from 'vitest';
import { stuffDots } from '../src/pipelined-smtp/smtp-session.ts';
import { encodeLinkQuotedPrintable, encodeQuotedPrintable } from '../src/quoted-printable.ts';

/** RFC 2045's decoding: soft breaks vanish, =XX is a byte. */
function decode(encoded: string): string {
  const bytes = encoded
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

const longestLine = (encoded: string) => Math.max(...encoded.split('\r\n').map((line) => line.length));

describe('quoted-printable as the mailer writes it', () => {
  it('round-trips text with accents, CJK, equals signs, tabs and trailing spaces, lines ≤ 76', () => {
    const text = [
      'Plain line',
      'Zoë Ångström, Łukasz — 注意力 "quoted" = sign',
      `${'long words '.repeat(30)}end`,
      'trailing space ',
      'tab\tinside\t',
      '',
      `${'é'.repeat(60)}`,
    ].join('\n');
    const encoded = encodeQuotedPrintable(text);
    expect(decode(encoded)).toBe(text.replace(/\n/g, '\r\n'));
    expect(longestLine(encoded)).toBeLessThanOrEqual(76);
    expect(/[^\x20-\x7e\r\n\t]/.test(encoded)).toBe(false);
    expect(encoded).not.toMatch(/[ \t]\r\n/);
  });

  it('writes a link on lines of its own, ending in a soft break, never splitting an escape', () => {
    for (const url of [
      'https://x.example/u',
      `https://paperboy.example/v/${'a'.repeat(70)}=b=c${'d'.repeat(90)}?x=1&y=2`,
      `https://p.example/${'='.repeat(100)}`,
    ]) {
      const encoded = encodeLinkQuotedPrintable(url);
      expect(encoded.endsWith('=\r\n')).toBe(true);
      expect(decode(encoded)).toBe(url);
      expect(longestLine(encoded)).toBeLessThanOrEqual(76);
    }
  });
});

describe('dot-stuffing', () => {
  it('doubles a dot that starts a line and leaves everything else as it is', () => {
    const plain = Buffer.from('Subject: x\r\n\r\nno dots here.\r\n');
    expect(stuffDots(plain, true)).toEqual([plain]);
    const stuffed = (text: string, atLineStart: boolean) =>
      Buffer.concat(stuffDots(Buffer.from(text), atLineStart)).toString();
    expect(stuffed('.first\r\nmid.dle\r\n.\r\n..two\r\n', true)).toBe(
      '..first\r\nmid.dle\r\n..\r\n...two\r\n',
    );
    // A piece that continues a line (after a link) keeps its leading dot.
    expect(stuffed('.com/x\r\n.y', false)).toBe('.com/x\r\n..y');
  });
});
