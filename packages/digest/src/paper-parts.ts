import { shortenAuthors } from './authors.ts';
import { paperBadges } from './badges.ts';
import { cleanText } from './clean-text.ts';
import { knownLinks, type LabelledLink, paperLinkRow, paperPageUrl, titleUrl } from './links.ts';
import { paperSummary } from './summary.ts';
import type { DigestPaper } from './types.ts';

/** Sources occasionally drop a title; a bare number followed by an empty link reads as a bug. */
export const UNTITLED = 'Untitled paper';

/** What a digest shows of a paper whatever its place and the reader's topics. */
export interface PaperParts {
  title: string;
  titleUrl: string;
  authors: string;
  badges: string[];
  summary: string;
  links: LabelledLink[];
  /**
   * Rendered pieces of this paper (the HTML block, the text lines at a place), shared by every
   * edition showing the same paper with the same text: renderers key them by what else they show.
   */
  fragments: Map<string, string>;
}

interface Entry {
  source: DigestPaper;
  linksJson: string;
  publicBaseUrl: string;
  parts: PaperParts;
}

/*
 * A day's editions are made of the same few hundred papers in different orders and mixes, so the
 * text work (cleanup and sentence regexes, author lists) and the rendered blocks are done once per
 * paper instead of once per edition. An entry is reused only while every field it was made from is
 * the same (an ingest refresh changes a paper's counts or summary); the store is emptied when it
 * grows past a day's worth of papers.
 */
const MAX_PAPERS = 5_000;
const MAX_FRAGMENTS_PER_PAPER = 1_000;
const cache = new Map<string, Entry>();

function sameAuthors(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((author, index) => author === b[index]);
}

function isSameSource(entry: Entry, paper: DigestPaper, linksJson: string, publicBaseUrl: string): boolean {
  const source = entry.source;
  return (
    entry.publicBaseUrl === publicBaseUrl &&
    entry.linksJson === linksJson &&
    source.title === paper.title &&
    source.abstract === paper.abstract &&
    source.aiSummary === paper.aiSummary &&
    source.upvotes === paper.upvotes &&
    source.comments === paper.comments &&
    source.githubStars === paper.githubStars &&
    sameAuthors(source.authors, paper.authors)
  );
}

function makeParts(paper: DigestPaper, publicBaseUrl: string): PaperParts {
  const links = knownLinks(paper.id, paper.links);
  const paperPage = paperPageUrl(publicBaseUrl, paper.id);
  return {
    title: cleanText(paper.title) || UNTITLED,
    titleUrl: titleUrl(links, paperPage),
    authors: shortenAuthors(paper.authors),
    badges: paperBadges(paper),
    summary: paperSummary(paper.abstract, paper.aiSummary),
    links: paperLinkRow(links, paperPage),
    fragments: new Map(),
  };
}

/** The paper's parts, worked out once while the paper's fields stay the same. */
export function paperParts(paper: DigestPaper, publicBaseUrl: string): PaperParts {
  const linksJson = JSON.stringify(paper.links);
  const entry = cache.get(paper.id);
  if (entry !== undefined && isSameSource(entry, paper, linksJson, publicBaseUrl)) {
    if (entry.parts.fragments.size > MAX_FRAGMENTS_PER_PAPER) entry.parts.fragments.clear();
    return entry.parts;
  }
  if (cache.size >= MAX_PAPERS) cache.clear();
  const parts = makeParts(paper, publicBaseUrl);
  cache.set(paper.id, {
    source: { ...paper, authors: [...paper.authors] },
    linksJson,
    publicBaseUrl,
    parts,
  });
  return parts;
}

/** Forgets every paper's parts and fragments (tests compare a warm render with a cold one). */
export function forgetPaperParts(): void {
  cache.clear();
}
