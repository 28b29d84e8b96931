import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonlAuto, parsePapersJsonl, parseSampleJsonl, toPapersJsonl } from '../src/index.ts';

const sample = readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8');

describe('the bundled sample', () => {
  const first = parseSampleJsonl(sample);

  it('imports all 209 papers with unique title-hash ids', () => {
    expect(first.skipped).toEqual([]);
    expect(first.papers).toHaveLength(209);
    const ids = first.papers.map((paper) => paper.id);
    expect(new Set(ids).size).toBe(209);
    for (const id of ids) expect(id).toMatch(/^t-[0-9a-f]{16}$/);
  });

  it('gives the same ids on a second import', () => {
    expect(parseSampleJsonl(sample).papers.map((paper) => paper.id)).toEqual(
      first.papers.map((paper) => paper.id),
    );
  });

  it('says what it did not know: no votes, dates or authors, source "sample"', () => {
    for (const paper of first.papers) {
      expect(paper).toMatchObject({
        arxivId: null,
        upvotes: null,
        comments: null,
        publishedAt: null,
        trendingDate: null,
        authors: [],
        sources: ['sample'],
        withdrawn: false,
      });
    }
  });

  it('files GitHub links as code and other pages as project pages', () => {
    const superclass = first.papers.find((paper) => paper.title.startsWith('Classification Done Right'));
    expect(superclass?.links).toEqual({ code: 'https://github.com/x-cls/superclass' });
    const withGithub = first.papers.filter((paper) =>
      (paper.raw as { links: string[] }).links.some((link) => link.includes('github.com')),
    );
    expect(withGithub.length).toBeGreaterThan(0);
    for (const paper of withGithub) expect(paper.links.code).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    const projectPages = first.papers.flatMap((paper) =>
      paper.links.projectPage ? [paper.links.projectPage] : [],
    );
    expect(projectPages).toContain('https://europe.naverlabs.com/unic');
  });
});

describe('bad lines', () => {
  const good = (title: string) => JSON.stringify({ title, abstract: 'An abstract.', links: [] });
  const file = [
    good('First Good Paper'),
    '{"title": "Broken", "abstract": ',
    '',
    JSON.stringify({ abstract: 'No title here.', links: [] }),
    good('Second Good Paper'),
    good('first   good\npaper'),
    '',
  ].join('\n');

  it('skips a broken line and a titleless line by line number and keeps the rest', () => {
    const batch = parseSampleJsonl(file);
    expect(batch.papers.map((paper) => paper.title)).toEqual(['First Good Paper', 'Second Good Paper']);
    expect(batch.skipped).toEqual([
      { position: 2, reason: expect.stringMatching(/^not valid JSON/) },
      { position: 4, reason: 'title is missing' },
      { position: 6, reason: expect.stringMatching(/^duplicate of line 1/) },
    ]);
  });

  it('reports every wrong field of a normalised record in one reason', () => {
    const batch = parsePapersJsonl(JSON.stringify({ id: 'x', title: 'T', upvotes: '12', sources: ['rss'] }));
    expect(batch.papers).toEqual([]);
    expect(batch.skipped[0]?.reason).toMatch(/upvotes must be.*sources must be/);
  });

  it('skips a record whose arXiv id disagrees with its id instead of letting it collide in the store', () => {
    const lines = [
      { id: 't-0123456789abcdef', arxivId: '2509.04664', title: 'Renamed' },
      { id: '2509.04664v2', arxivId: '2509.04664v2', title: 'Versioned' },
      { id: '2509.04664', arxivId: '2509.04664', title: 'Fine' },
    ];
    const batch = parsePapersJsonl(lines.map((line) => JSON.stringify(line)).join('\n'));
    expect(batch.papers.map((paper) => paper.title)).toEqual(['Fine']);
    expect(batch.skipped).toEqual([
      { position: 1, reason: 'arxivId must be a bare arXiv id (no version) equal to id' },
      { position: 2, reason: 'arxivId must be a bare arXiv id (no version) equal to id' },
    ]);
  });
});

describe('the normalised format', () => {
  const papers = parseSampleJsonl(sample).papers.slice(0, 5);

  it('round-trips through export and import unchanged', () => {
    const text = toPapersJsonl(papers);
    expect(text.trim().split('\n')).toHaveLength(5);
    expect(parsePapersJsonl(text)).toEqual({ papers, skipped: [] });
  });

  it('fills defaults for fields an older export did not have', () => {
    const batch = parsePapersJsonl(JSON.stringify({ id: '2509.04664', title: 'Minimal' }));
    expect(batch.papers[0]).toMatchObject({ abstract: '', authors: [], upvotes: null, sources: ['jsonl'] });
  });

  it('detects the format of each line in a mixed file', () => {
    const mixed = `${toPapersJsonl(papers.slice(0, 2))}${JSON.stringify({ title: 'Only In The Sample Format', abstract: '', links: [] })}\n`;
    const batch = parseJsonlAuto(mixed);
    expect(batch.skipped).toEqual([]);
    expect(batch.papers.map((paper) => paper.sources[0])).toEqual(['sample', 'sample', 'sample']);
    expect(batch.papers[2]?.id).toMatch(/^t-/);
    const exported = toPapersJsonl([{ ...papers[0]!, sources: ['huggingface'] }]);
    expect(parseJsonlAuto(exported).papers[0]?.sources).toEqual(['huggingface']);
  });
});
