import type { DigestPaper } from './types.ts';

const NUMBER = new Intl.NumberFormat('en-US');

function count(value: number | null, one: string, many: string): string[] {
  if (value === null || !Number.isFinite(value)) return [];
  return [`${NUMBER.format(value)} ${value === 1 ? one : many}`];
}

/** "1,234 upvotes", "56 comments", "2,345 GitHub stars": only the counts the sources know. */
export function paperBadges(paper: Pick<DigestPaper, 'upvotes' | 'comments' | 'githubStars'>): string[] {
  return [
    ...count(paper.upvotes, 'upvote', 'upvotes'),
    ...count(paper.comments, 'comment', 'comments'),
    ...count(paper.githubStars, 'GitHub star', 'GitHub stars'),
  ];
}
