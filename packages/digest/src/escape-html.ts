const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** The same escaping Handlebars applies, safe in text and in quoted attributes alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => ENTITIES[char] ?? char);
}
