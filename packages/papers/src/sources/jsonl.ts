import {
  findGithubRepo,
  normaliseAbstract,
  normaliseGithubRepo,
  normaliseHttpUrl,
  normaliseTitle,
  titleId,
} from '../normalise.ts';
import type { Paper, PaperLinks, ParsedBatch } from '../paper.ts';
import { validatePaper } from '../paper-validate.ts';

type Json = Record<string, unknown>;
type LineParser = (record: Json) => Paper | string;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Hosts whose links are the paper itself or its DOI, never a project's own page.
const NOT_A_PROJECT_PAGE = /^(?:[a-z0-9-]+\.)*(?:arxiv\.org|doi\.org|github\.com|openreview\.net)$/i;

function plausibleProjectPage(link: string): string | null {
  // Links were cut out of prose: a sentence's full stop or closing bracket is not part of them.
  const url = normaliseHttpUrl(link.replace(/[.,;:)\]]+$/, ''));
  if (!url) return null;
  const { hostname, pathname } = new URL(url);
  if (NOT_A_PROJECT_PAGE.test(hostname) || /\.pdf$/i.test(pathname)) return null;
  return url;
}

/**
 * The bundled sample's shape: {title, abstract, links}. There is no id, author, date or vote,
 * so the id is the title hash, counts are null (not 0: unknown is not unpopular), the first
 * GitHub link is the code and the first other plausible web page is the project page.
 */
function parseSampleRecord(record: Json): Paper | string {
  const title = typeof record.title === 'string' ? normaliseTitle(record.title) : '';
  if (!title) return 'title is missing';
  const abstract = typeof record.abstract === 'string' ? normaliseAbstract(record.abstract) : '';
  const given = Array.isArray(record.links)
    ? record.links.filter((link): link is string => typeof link === 'string')
    : [];

  const links: PaperLinks = {};
  const code = given.map(normaliseGithubRepo).find((repo) => repo !== null) ?? findGithubRepo(abstract);
  if (code) links.code = code;
  const projectPage = given.map(plausibleProjectPage).find((page) => page !== null);
  if (projectPage) links.projectPage = projectPage;

  return {
    id: titleId(title),
    arxivId: null,
    title,
    abstract,
    authors: [],
    links,
    upvotes: null,
    comments: null,
    githubStars: null,
    aiSummary: null,
    aiKeywords: [],
    categories: [],
    publishedAt: null,
    trendingDate: null,
    withdrawn: false,
    sources: ['sample'],
    raw: record,
  };
}

function parsePaperRecord(record: Json): Paper | string {
  const result = validatePaper(record);
  return Array.isArray(result) ? result.join('; ') : result;
}

/** The normalised format carries an id; the sample format never does. */
function detectFormat(record: Json): LineParser {
  return 'id' in record ? parsePaperRecord : parseSampleRecord;
}

/**
 * Shared line loop: blank lines are ignored, every other bad line is skipped with its 1-based
 * line number, and a paper already seen earlier in the file is skipped rather than doubled.
 */
function parseLines(text: string, choose: (record: Json) => LineParser): ParsedBatch {
  const batch: ParsedBatch = { papers: [], skipped: [] };
  const lineOfId = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const position = index + 1;
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      batch.skipped.push({ position, reason: `not valid JSON: ${reason}` });
      return;
    }
    if (!isObject(record)) {
      batch.skipped.push({ position, reason: 'not a JSON object' });
      return;
    }
    const parsed = choose(record)(record);
    if (typeof parsed === 'string') {
      batch.skipped.push({ position, reason: parsed });
      return;
    }
    const firstLine = lineOfId.get(parsed.id);
    if (firstLine !== undefined) {
      batch.skipped.push({ position, reason: `duplicate of line ${firstLine} (id ${parsed.id})` });
      return;
    }
    lineOfId.set(parsed.id, position);
    batch.papers.push(parsed);
  });
  return batch;
}

/** The bundled sample file: one {title, abstract, links} object per line. */
export function parseSampleJsonl(text: string): ParsedBatch {
  return parseLines(text, () => parseSampleRecord);
}

/** One normalised Paper per line, as written by toPapersJsonl. */
export function parsePapersJsonl(text: string): ParsedBatch {
  return parseLines(text, () => parsePaperRecord);
}

/** Either format, decided per line, so a hand-edited file may mix them. */
export function parseJsonlAuto(text: string): ParsedBatch {
  return parseLines(text, detectFormat);
}

/** Export: one Paper per line, newline-terminated; parsePapersJsonl reads it back unchanged. */
export function toPapersJsonl(papers: readonly Paper[]): string {
  return papers.map((paper) => `${JSON.stringify(paper)}\n`).join('');
}
