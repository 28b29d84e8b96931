import type { Paper } from '@paperboy/papers';

/** A paper as an adapter would hand it to the store; tests override what they look at. */
export function storePaper(overrides: Partial<Paper> & Pick<Paper, 'id' | 'title'>): Paper {
  return {
    arxivId: null,
    abstract: `What ${overrides.title} is about.`,
    authors: [],
    links: {},
    upvotes: null,
    comments: null,
    githubStars: null,
    aiSummary: null,
    aiKeywords: [],
    categories: [],
    publishedAt: null,
    trendingDate: null,
    withdrawn: false,
    sources: ['jsonl'],
    raw: {},
    ...overrides,
  };
}
