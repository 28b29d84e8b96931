import { describe, expect, it } from 'vitest';
import {
  type EditionInput,
  editionKey,
  mjmlCompileCount,
  personalise,
  type RenderedMail,
  renderEdition,
} from '../src/index.ts';
import { branding, makePaper } from './fixtures.ts';

/** What the worker would load from Postgres for one reader: a fresh object each time. */
function editionFor(profile: number): EditionInput {
  const topics = [['diffusion'], ['language models', 'agents'], []][profile] ?? [];
  return {
    date: '2026-11-28',
    papers: [0, 1, 2, 3, 4].map((rank) =>
      makePaper({ id: `2411.${profile}${rank}000`, upvotes: 100 - rank, matchedTopics: [...topics] }),
    ),
  };
}

describe('edition sharing', () => {
  it('renders 1,000 readers in three topic profiles as three editions from one MJML compile', async () => {
    const editions = new Map<string, Promise<RenderedMail>>();
    const mails: RenderedMail[] = [];
    let compilesAfterFirstRender = -1;
    // Files share a process (vitest isolate: false): another file may have compiled it already.
    const compilesBefore = mjmlCompileCount();

    for (let reader = 0; reader < 1000; reader++) {
      const input = editionFor(reader % 3);
      const key = editionKey(input);
      let edition = editions.get(key);
      if (edition === undefined) {
        edition = renderEdition(input, branding);
        editions.set(key, edition);
        await edition;
        if (compilesAfterFirstRender === -1) compilesAfterFirstRender = mjmlCompileCount();
      }
      const links = {
        unsubscribeUrl: `https://paperboy.example.org/u/reader${reader}`,
        manageUrl: `https://paperboy.example.org/m/reader${reader}`,
        viewInBrowserUrl: `https://paperboy.example.org/e/${key}?r=reader${reader}`,
        voteUrl: (position: number, direction: string) =>
          `https://paperboy.example.org/vote/reader${reader}-${direction}-${position}`,
      };
      mails.push(personalise(await edition, links));
    }

    expect(editions.size).toBe(3);
    expect(compilesAfterFirstRender - compilesBefore).toBeLessThanOrEqual(1);
    expect(mjmlCompileCount()).toBe(compilesAfterFirstRender);
    expect(mails[999]?.html).toContain('https://paperboy.example.org/u/reader999"');
    expect(mails[999]?.text).toContain('Unsubscribe: https://paperboy.example.org/u/reader999\n');
  });

  it('compiles once even when many renders start at the same moment', async () => {
    const before = mjmlCompileCount();
    await Promise.all(Array.from({ length: 50 }, (_, i) => renderEdition(editionFor(i % 3), branding)));
    expect(mjmlCompileCount()).toBe(before);
  });
});

describe('editionKey', () => {
  const base = editionFor(0);
  const key = editionKey(base);

  it('is a short hex string, safe in URLs and as a BullMQ job id', () => {
    expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is equal for equal inputs built separately', () => {
    expect(editionKey(editionFor(0))).toBe(key);
  });

  it('changes with the date, the order, the matched topics and the shown counts', () => {
    const [first, second, ...rest] = base.papers;
    if (first === undefined || second === undefined) throw new Error('fixture needs two papers');
    const variants: EditionInput[] = [
      { ...base, date: '2026-11-29' },
      { ...base, papers: [second, first, ...rest] },
      { ...base, papers: [{ ...first, matchedTopics: ['other'] }, second, ...rest] },
      { ...base, papers: [{ ...first, upvotes: 101 }, second, ...rest] },
      { ...base, papers: [{ ...first, comments: null }, second, ...rest] },
      { ...base, papers: [{ ...first, githubStars: 5 }, second, ...rest] },
      { ...base, papers: [second, ...rest] },
    ];
    const keys = new Set(variants.map(editionKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });
});
