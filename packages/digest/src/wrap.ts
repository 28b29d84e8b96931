/**
 * Wraps prose at `width` columns with every line indented by `indent` (the first by `firstIndent`).
 * Words longer than a line (URLs) get a line of their own instead of being broken.
 */
export function wrapText(text: string, width: number, indent = '', firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  let lineHasWord = false;
  for (const word of text.split(' ').filter((part) => part.length > 0)) {
    const candidate = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    if (lineHasWord && candidate.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
    lineHasWord = true;
  }
  if (lineHasWord) lines.push(line);
  return lines;
}
