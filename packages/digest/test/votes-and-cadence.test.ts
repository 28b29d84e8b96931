import { describe, expect, it } from 'vitest';
import { personalise, renderEdition } from '../src/index.ts';
import { branding, fixedEdition, personalLinks } from './fixtures.ts';

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);

describe('vote links and the weekly digest', () => {
  it('puts "More like this" and "Less like this" beside every paper, in HTML and text, filled per reader', async () => {
    const edition = await renderEdition(fixedEdition, branding);
    const asked: string[] = [];
    const mail = personalise(edition, {
      ...personalLinks,
      voteUrl: (position, direction) => {
        asked.push(`${direction}${position}`);
        return `https://paperboy.example.org/vote/${direction}-${position}`;
      },
    });
    const count = fixedEdition.papers.length;
    for (let position = 1; position <= count; position += 1) {
      for (const direction of ['more', 'less'] as const) {
        const url = `https://paperboy.example.org/vote/${direction}-${position}`;
        expect(hrefs(mail.html)).toContain(url);
        expect(mail.text).toContain(`${direction === 'more' ? 'More' : 'Less'} like this: ${url}\n`);
      }
    }
    expect(mail.html.match(/>More like this</g)).toHaveLength(count);
    expect(mail.html.match(/>Less like this</g)).toHaveLength(count);
    // One signature per paper and direction, shared by both parts.
    expect(asked).toHaveLength(2 * count);
    expect(mail.html).not.toContain('%%');
    expect(mail.text).not.toContain('%%');
  });

  it('says "this week" in the subject, preview and heading of a weekly digest, and is its own edition', async () => {
    const weekly = await renderEdition({ ...fixedEdition, cadence: 'weekly' }, branding);
    const daily = await renderEdition(fixedEdition, branding);
    expect(weekly.subject).toMatch(/^This week's \d+ trending papers: /);
    expect(weekly.subject.length).toBeLessThanOrEqual(78);
    expect(daily.subject).not.toContain('week');
    expect(weekly.html).toContain('trending papers this week');
    expect(weekly.html).toContain('Also this week:');
    expect(weekly.text).toContain('paperboy weekly digest');
    expect(daily.text).toContain('paperboy daily digest');
  });
});
