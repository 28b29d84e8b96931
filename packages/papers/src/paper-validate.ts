import {
  isIsoDate,
  normaliseAbstract,
  normaliseTimestamp,
  normaliseTitle,
  parseArxivId,
} from './normalise.ts';
import type { Paper, PaperLinks, PaperSource } from './paper.ts';

const SOURCES: readonly PaperSource[] = ['huggingface', 'arxiv', 'sample', 'jsonl'];
const LINK_KEYS: readonly (keyof PaperLinks)[] = ['abstract', 'pdf', 'huggingFace', 'code', 'projectPage'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isCount(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
}

/**
 * A Paper read back from JSON (an export, another instance). Missing optional fields get the
 * defaults an adapter would have given; a field of the wrong type is an error, because a file
 * that says `"upvotes": "12"` was not written by us and should not be half-trusted.
 * Returns the Paper or every problem found, so one skip reason lists them all.
 */
export function validatePaper(value: unknown): Paper | string[] {
  if (!isObject(value)) return ['not a JSON object'];
  const problems: string[] = [];
  const field = <T>(name: keyof Paper, ok: (v: unknown) => v is T, fallback: T, expected: string): T => {
    const v = value[name];
    if (v === undefined) return fallback;
    if (ok(v)) return v;
    problems.push(`${name} must be ${expected}`);
    return fallback;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

  const id = typeof value.id === 'string' ? value.id.trim() : '';
  if (!id) problems.push('id is missing');
  const title = typeof value.title === 'string' ? normaliseTitle(value.title) : '';
  if (!title) problems.push('title is missing');

  const links: PaperLinks = {};
  const rawLinks = field('links', isObject, {}, 'an object');
  for (const key of LINK_KEYS) {
    const link = rawLinks[key];
    if (link === undefined || link === null) continue;
    if (typeof link === 'string' && /^https?:\/\//i.test(link)) links[key] = link;
    else problems.push(`links.${key} must be an http(s) URL`);
  }

  const publishedAt = field('publishedAt', isStringOrNull, null, 'an ISO timestamp or null');
  const publishedIso = publishedAt === null ? null : normaliseTimestamp(publishedAt);
  if (publishedAt !== null && publishedIso === null) problems.push('publishedAt must be an ISO timestamp');
  const trendingDate = field('trendingDate', isStringOrNull, null, 'YYYY-MM-DD or null');
  if (trendingDate !== null && !isIsoDate(trendingDate)) problems.push('trendingDate must be YYYY-MM-DD');

  const isSources = (v: unknown): v is PaperSource[] =>
    Array.isArray(v) && v.length > 0 && v.every((s) => SOURCES.includes(s as PaperSource));
  const paper: Paper = {
    id,
    arxivId: field('arxivId', isStringOrNull, null, 'a string or null'),
    title,
    abstract: normaliseAbstract(field('abstract', isString, '', 'a string')),
    authors: field('authors', isStringList, [], 'a list of strings'),
    links,
    upvotes: field('upvotes', isCount, null, 'a non-negative integer or null'),
    comments: field('comments', isCount, null, 'a non-negative integer or null'),
    githubStars: field('githubStars', isCount, null, 'a non-negative integer or null'),
    aiSummary: field('aiSummary', isStringOrNull, null, 'a string or null'),
    aiKeywords: field('aiKeywords', isStringList, [], 'a list of strings'),
    categories: field('categories', isStringList, [], 'a list of strings'),
    publishedAt: publishedIso,
    trendingDate,
    withdrawn: field('withdrawn', (v): v is boolean => typeof v === 'boolean', false, 'true or false'),
    // A record that does not say where it came from came from this file.
    sources: field('sources', isSources, ['jsonl'], `a non-empty list of ${SOURCES.join('|')}`),
    raw: value.raw ?? null,
  };
  // The store keys papers by bare arXiv id so that sources meet in one row; a record whose id and
  // arXiv id disagree would collide with that row's unique arxiv_id instead of merging into it.
  if (paper.arxivId !== null && (parseArxivId(paper.arxivId) !== paper.arxivId || paper.arxivId !== id)) {
    problems.push('arxivId must be a bare arXiv id (no version) equal to id');
  }
  return problems.length > 0 ? problems : paper;
}
