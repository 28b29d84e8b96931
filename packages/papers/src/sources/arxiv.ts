import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PayloadError, SourceError } from '../errors.ts';
import { type FetchOptions, fetchWithRetry } from '../http.ts';
import {
  arxivLinks,
  findGithubRepo,
  normaliseAbstract,
  normaliseStringList,
  normaliseTimestamp,
  normaliseTitle,
  parseArxivId,
} from '../normalise.ts';
import type { Paper, PaperLinks, ParsedBatch } from '../paper.ts';
import type { RequestLimiter } from '../request-limiter.ts';

export const ARXIV_BASE_URL = 'https://export.arxiv.org';
/** The API serves at most this many results per call. */
export const ARXIV_MAX_RESULTS = 2000;

type Node = Record<string, unknown>;

const REPEATED = new Set(['entry', 'author', 'link', 'category']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // `arxiv:primary_category` and `primary_category` are the same thing to us.
  removeNSPrefix: true,
  // Ids like 2509.04660 would otherwise become the number 2509.0466.
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => REPEATED.has(tagName),
});

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of an element whether or not it carried attributes (then the parser nests it in #text). */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'];
  return null;
}

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function attr(node: Node, name: string): string | null {
  const value = node[`@_${name}`];
  return typeof value === 'string' && value !== '' ? value : null;
}

function parseEntry(entry: Node): Paper | string {
  const rawId = textOf(entry.id);
  if (!rawId) return 'entry has no <id>';
  const arxivId = parseArxivId(rawId);
  if (!arxivId) return `entry id "${rawId}" is not an arXiv id`;
  const title = normaliseTitle(textOf(entry.title) ?? '');
  if (!title) return `entry ${arxivId} has no title`;
  const abstract = normaliseAbstract(textOf(entry.summary) ?? '');
  const comment = textOf(entry.comment);

  const primary = isNode(entry.primary_category) ? attr(entry.primary_category, 'term') : null;
  const categories = [
    ...new Set([primary, ...nodes(entry.category).map((c) => attr(c, 'term'))].filter((c) => c !== null)),
  ];

  // Links derive from the bare id (https, no version) so they equal the Hugging Face record's
  // and always open the latest version; the feed's versioned hrefs stay in `raw`.
  const links: PaperLinks = { ...arxivLinks(arxivId) };
  const code = findGithubRepo(comment ?? '') ?? findGithubRepo(abstract);
  if (code) links.code = code;

  return {
    id: arxivId,
    arxivId,
    title,
    abstract,
    authors: normaliseStringList(nodes(entry.author).map((author) => textOf(author.name))),
    links,
    upvotes: null,
    comments: null,
    githubStars: null,
    aiSummary: null,
    aiKeywords: [],
    categories,
    publishedAt: normaliseTimestamp(textOf(entry.published)),
    trendingDate: null,
    // arXiv keeps withdrawn papers listed; the only machine-readable trace is the comment.
    withdrawn: comment !== null && /\bwithdrawn\b/i.test(comment),
    sources: ['arxiv'],
    raw: entry,
  };
}

/**
 * An arXiv API Atom feed. Entries without a usable id or title are skipped with their index;
 * a document that is not Atom, or arXiv's own error feed, throws a PayloadError.
 */
export function parseArxivAtom(xml: string): ParsedBatch {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new PayloadError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const document: unknown = parser.parse(xml);
  const feed = isNode(document) ? document.feed : undefined;
  if (!isNode(feed)) throw new PayloadError('XML has no Atom <feed> element');
  const entries = nodes(feed.entry);
  const errorEntry = entries.find((entry) => textOf(entry.id)?.includes('/api/errors'));
  if (errorEntry) {
    throw new PayloadError(`arXiv API error: ${normaliseTitle(textOf(errorEntry.summary) ?? 'unknown')}`);
  }

  const batch: ParsedBatch = { papers: [], skipped: [] };
  entries.forEach((entry, index) => {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') batch.skipped.push({ position: index, reason: parsed });
    else batch.papers.push(parsed);
  });
  return batch;
}

export interface FetchArxivListingOptions {
  baseUrl?: string;
  /** arXiv categories such as `cs.LG`; they are OR-ed. */
  categories: string[];
  maxResults?: number;
  start?: number;
  fetchOptions?: FetchOptions;
  /** Shared by every worker that talks to arXiv: use a RedisRequestLimiter in services. */
  limiter: RequestLimiter;
  /** arXiv answers an empty page now and then for a query that has results: ask again. */
  emptyRetries?: number;
}

const CATEGORY = /^[a-z-]+(?:\.[A-Za-z-]+)?$/;

export function arxivListingUrl(
  options: Pick<FetchArxivListingOptions, 'baseUrl' | 'categories' | 'maxResults' | 'start'>,
): string {
  const { categories } = options;
  if (categories.length === 0) throw new RangeError('at least one arXiv category is needed');
  const bad = categories.filter((category) => !CATEGORY.test(category));
  if (bad.length > 0) throw new RangeError(`not arXiv categories: ${bad.join(', ')}`);
  const maxResults = options.maxResults ?? 100;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > ARXIV_MAX_RESULTS) {
    throw new RangeError(`maxResults must be 1..${ARXIV_MAX_RESULTS}, got ${maxResults}`);
  }
  const base = (options.baseUrl ?? ARXIV_BASE_URL).replace(/\/+$/, '');
  // arXiv wants the literal `+OR+` (form-encoded spaces), so the query is built by hand.
  const query = categories.map((category) => `cat:${category}`).join('+OR+');
  return `${base}/api/query?search_query=${query}&sortBy=submittedDate&sortOrder=descending&start=${options.start ?? 0}&max_results=${maxResults}`;
}

/** The newest submissions in some categories, one polite request at a time. */
export async function fetchArxivListing(options: FetchArxivListingOptions): Promise<ParsedBatch> {
  const url = arxivListingUrl(options);
  const emptyRetries = options.emptyRetries ?? 3;
  for (let attempt = 1; ; attempt++) {
    const fetched = await fetchWithRetry(url, {
      accept: 'application/atom+xml',
      ...options.fetchOptions,
      limiter: options.limiter,
    });
    let batch: ParsedBatch;
    try {
      batch = parseArxivAtom(fetched.text);
    } catch (cause) {
      if (!(cause instanceof PayloadError)) throw cause;
      throw new SourceError(`GET ${url}: ${cause.message}`, {
        kind: 'malformed',
        url,
        status: fetched.status,
        retryable: false,
        cause,
      });
    }
    if (batch.papers.length + batch.skipped.length > 0 || attempt > emptyRetries) return batch;
    // No extra sleep: the limiter already spaces the next request.
    options.fetchOptions?.log?.({ msg: 'arXiv answered an empty page, asking again', url, attempt });
  }
}
