import { createHash } from 'node:crypto';
import type { PaperLinks } from './paper.ts';

/** Titles are one line: every run of whitespace, line breaks included, becomes one space. */
export function normaliseTitle(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Abstracts arrive hard-wrapped at ~80 columns (arXiv, and Hugging Face copies it). Single line
 * breaks are layout and are unwrapped; a blank line is a real paragraph break and survives as
 * one "\n\n", so a digest can still show paragraphs.
 */
export function normaliseAbstract(text: string): string {
  return text
    .split(/\n[ \t\r\f\v]*\n\s*/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

// New style (since 2007): YYMM.NNNN or YYMM.NNNNN. Old style: archive[.SUBJ]/YYMMNNN.
const NEW_STYLE_ID = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const OLD_STYLE_ID = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/**
 * The bare arXiv id (no version) from an id, an `arXiv:` id or an arxiv.org abs/pdf URL;
 * null when the input is not an arXiv id. The bare id is the key that lets Hugging Face and
 * arXiv records of one paper meet, so versions must never leak into it.
 */
export function parseArxivId(input: string): string | null {
  let candidate = input.trim();
  const fromUrl = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/(.+?)(?:\.pdf)?\/?$/i.exec(
    candidate,
  );
  if (fromUrl?.[1]) candidate = fromUrl[1];
  candidate = candidate.replace(/^arxiv:/i, '');
  const match = NEW_STYLE_ID.exec(candidate) ?? OLD_STYLE_ID.exec(candidate);
  return match?.[1] ?? null;
}

/** `2509.04664v2` -> `2509.04664`; anything that is not a versioned arXiv id is returned trimmed. */
export function stripArxivVersion(id: string): string {
  return parseArxivId(id) ?? id.trim();
}

/** The links every arXiv paper has, derived from its bare id. */
export function arxivLinks(arxivId: string): Required<Pick<PaperLinks, 'abstract' | 'pdf' | 'huggingFace'>> {
  return {
    abstract: `https://arxiv.org/abs/${arxivId}`,
    pdf: `https://arxiv.org/pdf/${arxivId}`,
    huggingFace: `https://huggingface.co/papers/${arxivId}`,
  };
}

// GitHub owners are letters, digits and hyphens (no dots); repository names may also hold `.` and `_`.
const GITHUB_OWNER = /^[A-Za-z0-9_-]+$/;
const GITHUB_REPO = /^[A-Za-z0-9_.-]+$/;

/**
 * `https://github.com/owner/repo`, or null when the value does not name a repository.
 * Hugging Face sends either a URL or a bare `owner/repo`; abstracts link deep into trees and
 * add `.git`; all of them mean the same repository and must compare equal.
 */
export function normaliseGithubRepo(value: string): string | null {
  const trimmed = value.trim();
  const asUrl =
    /^git@github\.com:(.+)$/i.exec(trimmed) ?? /^(?:https?:\/\/)?(?:www\.)?github\.com\/(.+)$/i.exec(trimmed);
  let path: string;
  if (asUrl?.[1]) path = asUrl[1];
  else if (/^[^/\s:]+\/[^/\s:]+$/.test(trimmed)) path = trimmed;
  else return null;
  // `{` cuts off LaTeX residue such as `repo{here}` left by \href in abstracts.
  const [owner, repoWithSuffix] = path.split(/[/?#{]/);
  // Links cut out of prose keep the sentence's trailing punctuation.
  const repo = repoWithSuffix?.replace(/[.,;:)\]]+$/, '').replace(/\.git$/i, '');
  if (!owner || !repo || !GITHUB_OWNER.test(owner) || !GITHUB_REPO.test(repo)) return null;
  return `https://github.com/${owner}/${repo}`;
}

/** The first GitHub repository linked in free text (an abstract, an arXiv comment), normalised. */
export function findGithubRepo(text: string): string | null {
  for (const match of text.matchAll(/(?:https?:\/\/)?(?:www\.)?github\.com\/[^\s<>"'{})\]]+/gi)) {
    const repo = normaliseGithubRepo(match[0]);
    if (repo) return repo;
  }
  return null;
}

/** An http(s) URL as given (trimmed), or null: keeps `javascript:` and bare words out of emails. */
export function normaliseHttpUrl(value: string): string | null {
  const trimmed = value.trim();
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? trimmed : null;
  } catch {
    return null;
  }
}

/**
 * A stable id for a paper without an arXiv id: the same title, however it was wrapped or
 * capitalised, always gets the same id, so re-importing a file never duplicates papers.
 */
export function titleId(title: string): string {
  const folded = normaliseTitle(title).normalize('NFC').toLowerCase();
  return `t-${createHash('sha256').update(folded).digest('hex').slice(0, 16)}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** An ISO timestamp in UTC, or null for anything Date cannot read. */
export function normaliseTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** The UTC calendar date of an instant: Hugging Face rejects dates after today in UTC. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC calendar day before an instant's: "yesterday" for a daily job, whatever the server's zone. */
export function previousUtcDate(instant: Date): string {
  return utcDate(new Date(instant.getTime() - 24 * 3_600_000));
}

/** A non-negative integer count, or null when the source did not give one. */
export function normaliseCount(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return Math.trunc(value);
}

/** The non-empty strings of a list, whitespace-normalised; anything else counts as an empty list. */
export function normaliseStringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is string => typeof item === 'string')
    .map(normaliseTitle)
    .filter((item) => item.length > 0);
}
