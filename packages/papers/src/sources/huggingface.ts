import { PayloadError, SourceError } from '../errors.ts';
import { type FetchOptions, fetchWithRetry, parseJsonBody } from '../http.ts';
import {
  arxivLinks,
  isIsoDate,
  normaliseAbstract,
  normaliseCount,
  normaliseGithubRepo,
  normaliseHttpUrl,
  normaliseStringList,
  normaliseTimestamp,
  normaliseTitle,
  parseArxivId,
  utcDate,
} from '../normalise.ts';
import type { Paper, PaperLinks, ParsedBatch } from '../paper.ts';

export const HF_BASE_URL = 'https://huggingface.co';
/** The API's maximum page size; 101 is an error. */
export const HF_PAGE_LIMIT = 100;
// A weekday has ~20–30 papers; this only stops a server that keeps saying "next" forever.
const MAX_PAGES = 50;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** One array item of /api/daily_papers, or the reason it cannot become a Paper. */
function parseItem(item: unknown, trendingDate: string): Paper | string {
  if (!isObject(item)) return 'item is not an object';
  const paper = item.paper;
  if (!isObject(paper)) return 'item has no "paper" object';
  const rawId = optionalString(paper.id);
  if (!rawId) return 'paper.id is missing';
  // The paper's own fields win; the top-level copies are a fallback for lean items.
  const title = normaliseTitle(optionalString(paper.title) ?? optionalString(item.title) ?? '');
  if (!title) return `paper ${rawId} has no title`;

  const arxivId = parseArxivId(rawId);
  const id = arxivId ?? rawId.trim();
  const links: PaperLinks = arxivId
    ? { ...arxivLinks(arxivId) }
    : { huggingFace: `${HF_BASE_URL}/papers/${id}` };
  const githubRepo = optionalString(paper.githubRepo);
  const code = githubRepo ? normaliseGithubRepo(githubRepo) : null;
  if (code) links.code = code;
  const projectPage = optionalString(paper.projectPage);
  const projectUrl = projectPage ? normaliseHttpUrl(projectPage) : null;
  if (projectUrl) links.projectPage = projectUrl;

  const aiSummary = optionalString(paper.ai_summary);
  const authors = Array.isArray(paper.authors)
    ? normaliseStringList(paper.authors.map((author) => (isObject(author) ? author.name : null)))
    : [];

  return {
    id,
    arxivId,
    title,
    abstract: normaliseAbstract(optionalString(paper.summary) ?? optionalString(item.summary) ?? ''),
    authors,
    links,
    // Upvotes live under `paper`, comments at the top level: the API's shape, not a typo.
    upvotes: normaliseCount(paper.upvotes),
    comments: normaliseCount(item.numComments),
    githubStars: normaliseCount(paper.githubStars),
    aiSummary: aiSummary ? normaliseAbstract(aiSummary) : null,
    aiKeywords: normaliseStringList(paper.ai_keywords),
    categories: [],
    publishedAt: normaliseTimestamp(paper.publishedAt) ?? normaliseTimestamp(item.publishedAt),
    trendingDate,
    withdrawn: Boolean(paper.withdrawnAt),
    sources: ['huggingface'],
    raw: item,
  };
}

/**
 * One page (or several pages' worth) of /api/daily_papers. Lenient per item: unknown fields are
 * ignored and kept in `raw`, a bad item is skipped with its reason and array index; only a
 * payload that is not an array at all is an error. `[]` is a valid day (weekends).
 */
export function parseHfDailyPapers(json: unknown, trendingDate: string, firstPosition = 0): ParsedBatch {
  if (!isIsoDate(trendingDate))
    throw new RangeError(`trendingDate must be YYYY-MM-DD, got "${trendingDate}"`);
  if (!Array.isArray(json)) throw new PayloadError('daily papers payload is not a JSON array');
  const batch: ParsedBatch = { papers: [], skipped: [] };
  json.forEach((item, index) => {
    const parsed = parseItem(item, trendingDate);
    if (typeof parsed === 'string') batch.skipped.push({ position: firstPosition + index, reason: parsed });
    else batch.papers.push(parsed);
  });
  return batch;
}

/** The `rel="next"` target of a Link header, resolved against the page it came from. */
export function nextLink(linkHeader: string | null, base: string): string | null {
  if (!linkHeader) return null;
  for (const part of linkHeader.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match?.[1] !== undefined && /\brel\s*=\s*"?next"?/i.test(match[2] ?? '')) {
      return new URL(match[1], base).toString();
    }
  }
  return null;
}

export interface FetchHfDailyPapersOptions {
  /** Defaults to https://huggingface.co; tests point it at a local server. */
  baseUrl?: string;
  /** The UTC day, YYYY-MM-DD. The API rejects days after today in UTC. */
  date: string;
  fetchOptions?: FetchOptions;
  /** For the "not in the future" check; defaults to the clock. */
  now?: Date;
}

/** One page of a day as it arrived: parsed, with the URL it came from. */
export interface HfDailyPage extends ParsedBatch {
  /** 0-based page number. */
  page: number;
  url: string;
}

/**
 * The pages of a day, one at a time, so a caller can store each page before asking for the next:
 * when page 3 fails, pages 1 and 2 are already safe. Papers already seen on an earlier page are
 * dropped because upvotes move while we page and a paper can slide from one page onto the next.
 */
export async function* hfDailyPaperPages(options: FetchHfDailyPapersOptions): AsyncGenerator<HfDailyPage> {
  const { date } = options;
  if (!isIsoDate(date)) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  const today = utcDate(options.now ?? new Date());
  if (date > today) throw new RangeError(`date ${date} is after today in UTC (${today})`);

  const base = (options.baseUrl ?? HF_BASE_URL).replace(/\/+$/, '');
  const seen = new Set<string>();
  let url: string | null = `${base}/api/daily_papers?date=${date}&limit=${HF_PAGE_LIMIT}&p=0`;
  let position = 0;

  for (let page = 0; url !== null; page++) {
    if (page >= MAX_PAGES) {
      throw new SourceError(`GET ${url}: more than ${MAX_PAGES} pages for one day`, {
        kind: 'malformed',
        url,
        retryable: false,
      });
    }
    const fetched = await fetchWithRetry(url, { accept: 'application/json', ...options.fetchOptions });
    const json = parseJsonBody(fetched);
    let batch: ParsedBatch;
    try {
      batch = parseHfDailyPapers(json, date, position);
    } catch (cause) {
      if (!(cause instanceof PayloadError)) throw cause;
      throw new SourceError(`GET ${url}: ${cause.message}`, {
        kind: 'malformed',
        url,
        retryable: false,
        cause,
      });
    }
    const fresh = batch.papers.filter((paper) => !seen.has(paper.id));
    for (const paper of fresh) seen.add(paper.id);
    yield { page, url, papers: fresh, skipped: batch.skipped };
    const pageSize = Array.isArray(json) ? json.length : 0;
    position += pageSize;
    // A short page is the last one whatever the headers say; otherwise prefer the server's link.
    url =
      pageSize < HF_PAGE_LIMIT
        ? null
        : (nextLink(fetched.headers.get('link'), fetched.url) ??
          `${base}/api/daily_papers?date=${date}&limit=${HF_PAGE_LIMIT}&p=${page + 1}`);
  }
}

/** Every paper Hugging Face listed on `date`, across pages, de-duplicated by id. */
export async function fetchHfDailyPapers(options: FetchHfDailyPapersOptions): Promise<ParsedBatch> {
  const result: ParsedBatch = { papers: [], skipped: [] };
  for await (const page of hfDailyPaperPages(options)) {
    result.papers.push(...page.papers);
    result.skipped.push(...page.skipped);
  }
  return result;
}
