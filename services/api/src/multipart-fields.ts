const BOUNDARY = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i;
const NAME = /^content-disposition:\s*form-data;\s*name="([^"\r\n]{1,100})"\s*$/im;
const MAX_FIELDS = 8;

/**
 * The text fields of a small multipart/form-data body (RFC 7578), or null when it is malformed or
 * carries a file. Enough for what mailbox providers POST for one-click unsubscribe, and strict:
 * anything unexpected is refused rather than guessed at.
 */
export function parseMultipartFields(body: string, contentType: string): Record<string, string> | null {
  const match = BOUNDARY.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return null;
  const sections = body.split(`--${boundary}`);
  const closing = sections.pop();
  if (sections.length < 1 || closing === undefined || !closing.startsWith('--')) return null;
  const parts = sections.slice(1);
  if (parts.length > MAX_FIELDS) return null;
  const fields = new Map<string, string>();
  for (const part of parts) {
    if (!part.startsWith('\r\n') || !part.endsWith('\r\n')) return null;
    const content = part.slice(2, -2);
    const headerEnd = content.indexOf('\r\n\r\n');
    if (headerEnd < 0) return null;
    const headers = content.slice(0, headerEnd);
    const name = NAME.exec(headers)?.[1];
    if (!name || /filename\*?=/i.test(headers)) return null;
    fields.set(name, content.slice(headerEnd + 4));
  }
  // fromEntries defines own properties, so a field named "__proto__" stays a plain field.
  return Object.fromEntries(fields);
}
