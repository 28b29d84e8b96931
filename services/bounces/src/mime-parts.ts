import { type MimeNode, Splitter, type SplitterChunk } from '@zone-eu/mailsplit';

/** One leaf part of a message: its content type and its body, transfer-decoded. */
export interface MimePart {
  contentType: string;
  body: string;
}

function decodeTransfer(body: Buffer, encoding: string | false): string {
  if (encoding === 'base64')
    return Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const text = body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(
      text.replace(/=([0-9A-F]{2})/gi, (_match, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      ),
      'latin1',
    ).toString('utf8');
  }
  return body.toString('utf8');
}

/**
 * Every leaf part of a message, in order, using mailsplit (the MIME splitter mailparser is built
 * on). mailparser itself folds message/delivery-status into the text body, losing the fields a
 * DSN is made of; the splitter keeps each part whole.
 */
export async function mimeParts(raw: Buffer): Promise<MimePart[]> {
  const splitter = new Splitter({ maxHeadSize: 256 * 1024 });
  const parts = new Map<MimeNode, { contentType: string; encoding: string | false; chunks: Buffer[] }>();
  splitter.end(raw);
  for await (const chunk of splitter as AsyncIterable<SplitterChunk>) {
    if (chunk.type === 'node') {
      if (chunk.multipart) continue;
      parts.set(chunk, {
        contentType: (chunk.contentType || 'text/plain').toLowerCase(),
        encoding: chunk.encoding,
        chunks: [],
      });
    } else if (chunk.type === 'body') {
      parts.get(chunk.node)?.chunks.push(chunk.value);
    }
  }
  return [...parts.values()].map((part) => ({
    contentType: part.contentType,
    body: decodeTransfer(Buffer.concat(part.chunks), part.encoding),
  }));
}
