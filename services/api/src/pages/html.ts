const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Everything interpolated into a page goes through this; pages are built from strings, so this is the guard. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Marks a fragment as already-safe HTML, so composing pages does not escape twice. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated strings are escaped, SafeHtml fragments (and arrays of them) are not. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      if (part instanceof SafeHtml) out += part.value;
      else if (part !== null && part !== undefined && part !== false) out += escapeHtml(String(part));
    }
    out += strings[index + 1] ?? '';
  });
  return new SafeHtml(out);
}
