import { cleanText, trimOnWord } from './clean-text.ts';

/** Longest summary shown; keeps a 25-paper digest well under Gmail's clipping size. */
export const MAX_SUMMARY_CHARS = 360;

/** Words that end in a full stop without ending a sentence. */
const ABBREVIATIONS = new Set(
  'e.g i.e al etc vs fig figs eq eqs cf approx resp sec no dr mr ms prof st'.split(' '),
);

/** Splits prose into sentences, skipping full stops of abbreviations, initials and decimals. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const boundary = /[.!?]["')\]]?\s+(?=["'([]?[A-Z0-9])/g;
  let start = 0;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const wordBefore = /(\S+)[.!?]["')\]]?$/.exec(text.slice(start, match.index + 1))?.[1] ?? '';
    const bare = wordBefore.replace(/^[("'[]+/, '').toLowerCase();
    if (ABBREVIATIONS.has(bare) || /^\p{L}$/u.test(bare)) continue;
    const end = match.index + match[0].trimEnd().length;
    sentences.push(text.slice(start, end));
    start = boundary.lastIndex;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences.map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 0);
}

/**
 * The first two sentences, or three while that stays short, capped at `maxChars` on a word boundary.
 */
export function leadSentences(text: string, maxChars = MAX_SUMMARY_CHARS): string {
  const sentences = splitSentences(cleanText(text));
  let lead = sentences.slice(0, 2).join(' ');
  const third = sentences[2];
  if (third !== undefined && lead.length + third.length < maxChars * 0.75) lead = `${lead} ${third}`;
  return trimOnWord(lead, maxChars);
}

/** What the digest says about a paper: the AI summary when there is one, else the abstract's lead. */
export function paperSummary(abstract: string, aiSummary: string | null): string {
  const summary = aiSummary === null ? '' : leadSentences(aiSummary);
  return summary.length > 0 ? summary : leadSentences(abstract);
}
