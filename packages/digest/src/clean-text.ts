/**
 * Makes a source string safe to show on one line: control characters and runs of whitespace
 * (abstracts arrive with hard line breaks) become single spaces.
 *
 * `%%` collapses to `%` so that no paper text can ever spell a personal-link placeholder, which
 * personalise() would otherwise turn into a reader's unsubscribe URL.
 */
export function cleanText(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ')
      .replace(/%{2,}/g, '%')
      .trim()
  );
}

/** Cuts text to at most `max` characters on a word boundary, ending in "…" when it cut. */
export function trimOnWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never leave half of a surrogate pair (emoji, rare CJK) at the end.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.lastIndexOf(' ');
  // A single very long word is cut mid-word rather than dropped altogether.
  if (lastSpace > max * 0.5) cut = cut.slice(0, lastSpace);
  return `${cut.replace(/[\s,;:.\-–—(]+$/, '')}…`;
}
