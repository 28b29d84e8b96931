import { describe, expect, it } from 'vitest';
import { leadSentences, MAX_SUMMARY_CHARS, paperSummary, splitSentences } from '../src/summary.ts';

describe('paper summary', () => {
  it('prefers the AI summary', () => {
    expect(paperSummary('The abstract.', 'The AI summary.')).toBe('The AI summary.');
  });

  it('falls back to the abstract when the AI summary is missing or blank', () => {
    expect(paperSummary('One. Two.', null)).toBe('One. Two.');
    expect(paperSummary('One. Two.', '  ')).toBe('One. Two.');
  });

  it('does not end sentences at abbreviations, initials or decimals', () => {
    const text =
      'Models, e.g. GPT-4, reach 3.5 points. As shown by J. Smith et al. in Fig. 2, this holds. Next one.';
    expect(splitSentences(text)).toEqual([
      'Models, e.g. GPT-4, reach 3.5 points.',
      'As shown by J. Smith et al. in Fig. 2, this holds.',
      'Next one.',
    ]);
  });

  it('takes two sentences, and a third while that stays short', () => {
    expect(leadSentences('One is short. Two is short. Three is short. Four is not shown.')).toBe(
      'One is short. Two is short. Three is short.',
    );
    const long = `${'word '.repeat(50).trim()}.`;
    expect(leadSentences(`${long} ${long} Third.`)).not.toContain('Third');
  });

  it('caps a long summary on a word boundary with an ellipsis', () => {
    const summary = leadSentences(`${'lengthy '.repeat(200)}end.`);
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(summary).toMatch(/lengthy…$/);
  });

  it('joins hard-wrapped abstract lines', () => {
    expect(leadSentences('We study\nthings.\n\nWe find   more.')).toBe('We study things. We find more.');
  });
});
