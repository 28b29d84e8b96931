import { describe, expect, it } from 'vitest';
import { digestSubject } from '../src/index.ts';

describe('digestSubject', () => {
  it('names the count and the top paper', () => {
    expect(digestSubject(5, 'Attention Is All You Need')).toBe(
      '5 trending papers: Attention Is All You Need',
    );
  });

  it('is singular for one paper', () => {
    expect(digestSubject(1, 'Attention Is All You Need')).toBe('1 trending paper: Attention Is All You Need');
  });

  it('cuts a long title on a word boundary so the subject stays within 78 characters', () => {
    const subject = digestSubject(
      25,
      'Towards Robust and Efficient Long-Context Reasoning in Large Language Models at Scale',
    );
    expect(subject.length).toBeLessThanOrEqual(78);
    expect(subject).toBe('25 trending papers: Towards Robust and Efficient Long-Context Reasoning in…');
  });

  it('keeps header-breaking characters out', () => {
    expect(digestSubject(2, 'Line one\r\nBcc: victim@example.org')).toBe(
      '2 trending papers: Line one Bcc: victim@example.org',
    );
  });
});
