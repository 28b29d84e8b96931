import { cleanText, trimOnWord } from './clean-text.ts';

/** RFC 5322 recommends lines of at most 78 characters; a subject that fits is never folded. */
export const MAX_SUBJECT_CHARS = 78;

/** "5 trending papers: <top title>", the title cut on a word boundary so the whole fits. */
export function digestSubject(paperCount: number, topTitle: string, max = MAX_SUBJECT_CHARS): string {
  const prefix = `${paperCount} trending ${paperCount === 1 ? 'paper' : 'papers'}: `;
  return prefix + trimOnWord(cleanText(topTitle), max - prefix.length);
}

/** "This week's 5 trending papers: <top title>": a weekly digest says so before it is opened. */
export function weeklyDigestSubject(paperCount: number, topTitle: string, max = MAX_SUBJECT_CHARS): string {
  return `This week's ${digestSubject(paperCount, topTitle, max - 12)}`;
}

/** The inbox preview line: what else is inside, after the subject's top paper. */
export function digestPreview(titles: readonly string[], max = 140, weekly = false): string {
  const [, second, ...rest] = titles.map(cleanText);
  if (second === undefined)
    return weekly ? 'Your weekly paper from paperboy.' : 'Your daily paper from paperboy.';
  const more = rest.length > 0 ? ` and ${rest.length} more` : '';
  const also = weekly ? 'Also this week: ' : 'Also today: ';
  return `${also}${trimOnWord(second, max - also.length - more.length)}${more}`;
}
