import { describe, expect, it } from 'vitest';
import { digestView } from '../src/digest-view.ts';
import { forgetPaperParts } from '../src/paper-parts.ts';
import { renderEdition } from '../src/render-edition.ts';
import { loadTemplate } from '../src/template-cache.ts';
import type { EditionInput } from '../src/types.ts';
import { branding, fixedEdition, largestEdition, makePaper } from './fixtures.ts';

const wholeTemplate = async (input: EditionInput) =>
  (await loadTemplate<ReturnType<typeof digestView>>('digest'))(digestView(input, branding));

/** Editions mixing the same papers at other places, with other topics, one of them since refreshed. */
function mixes(): EditionInput[] {
  const largest = largestEdition(12);
  const [first, second, third] = largest.papers;
  return [
    fixedEdition,
    largest,
    { date: '2026-11-29', papers: [third!, first!, second!] },
    {
      date: '2026-11-29',
      cadence: 'weekly',
      papers: [
        { ...first!, matchedTopics: ['diffusion'] },
        { ...third!, upvotes: 99_999, aiSummary: 'Shorter now.' },
      ],
    },
    { date: '2026-11-30', papers: [makePaper({ id: 'x-1', title: 'Łukasz’s naïve 模型 study 🚀' }), first!] },
  ];
}

describe('editions made of cached paper blocks', () => {
  it('writes exactly the HTML the whole template writes, whatever was rendered before', async () => {
    for (const input of [...mixes(), ...mixes().reverse()]) {
      expect((await renderEdition(input, branding)).html).toBe(await wholeTemplate(input));
    }
  });

  it('writes the same mail with the papers already seen in other editions as from nothing', async () => {
    const warm = [];
    for (const input of mixes()) warm.push(await renderEdition(input, branding));
    for (const [index, input] of mixes().entries()) {
      forgetPaperParts();
      expect(await renderEdition(input, branding)).toEqual(warm[index]);
    }
  });

  it('shows a refreshed paper as it is now, not as an earlier edition showed it', async () => {
    const paper = makePaper({ id: 'refreshed', upvotes: 5 });
    await renderEdition({ date: '2026-11-28', papers: [paper] }, branding);
    const later = await renderEdition(
      { date: '2026-11-28', papers: [{ ...paper, upvotes: 1234 }] },
      branding,
    );
    expect(later.text).toContain('1,234 upvotes');
    expect(later.html).toContain('1,234 upvotes');
    expect(later.html).not.toContain('5 upvotes');
  });
});
