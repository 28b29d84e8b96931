import { readFileSync } from 'node:fs';
import { parseSampleJsonl, rankByTrending } from '@paperboy/papers';
import { describe, expect, it } from 'vitest';
import { renderEdition } from '../src/index.ts';
import { branding } from './fixtures.ts';

const sample = parseSampleJsonl(
  readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8'),
).papers;

/** Which links each paper of a rendered digest has, by the label its links row shows. */
function linksPerPaper(html: string): string[][] {
  return html
    .split('class="pb-paper"')
    .slice(1)
    .map((block) => {
      const row = /class="pb-links"[^>]*>(.*?)<\/p>/s.exec(block)?.[1] ?? '';
      return [...row.matchAll(/<a href="[^"]+"[^>]*>([^<]+)<\/a>/g)].map((match) => match[1]!);
    });
}

describe('the bundled sample in a digest', () => {
  it('gives every paper a way to open it, and counts which links they have', async () => {
    const papers = rankByTrending(sample, new Date('2026-12-01T00:00:00Z'))
      .slice(0, 10)
      .map((paper) => ({ ...paper, matchedTopics: [] }));
    const mail = await renderEdition({ date: '2026-12-01', papers }, branding);
    const links = linksPerPaper(mail.html);
    expect(links).toHaveLength(10);
    const counts: Record<string, number> = {};
    for (const labels of links) for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
    console.info(`links in a 10-paper sample digest: ${JSON.stringify(counts)}`);
    expect(links.every((labels) => labels.length > 0)).toBe(true);
    // The sample has no arXiv ids: papers without a paper page elsewhere get paperboy's own.
    expect(counts['Paper page']).toBe(10 - (counts.Paper ?? 0) - (counts['Hugging Face'] ?? 0));
    const titles = [...mail.html.matchAll(/<h2[^>]*>\d+\. <a href="([^"]+)"/g)];
    expect(titles).toHaveLength(10);
  });
});
