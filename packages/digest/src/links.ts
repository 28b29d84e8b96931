import { arxivLinks, type PaperLinks, parseArxivId } from '@paperboy/papers';

export interface LabelledLink {
  label: string;
  url: string;
}

/**
 * A source link as the mail may show it: absolute https, or null. Plain http is upgraded because
 * arXiv feeds still hand out http:// links and every host we link to serves https; anything else
 * (relative paths, javascript:, mailto:) is dropped rather than shown.
 */
export function httpsUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol === 'http:') url.protocol = 'https:';
  if (url.protocol !== 'https:') return null;
  // `%%` would read as a personal-link placeholder to personalise().
  return url.href.includes('%%') ? null : url.href;
}

/** paperboy's own page of a paper: title, authors, abstract and source, for papers with no page elsewhere. */
export function paperPageUrl(publicBaseUrl: string, paperId: string): string {
  return `${publicBaseUrl}/papers/${encodeURIComponent(paperId)}`;
}

/**
 * The paper's links, completed: a paper whose id is an arXiv id always has an arXiv abstract and
 * PDF, even when a source (a file, an older record) did not list them.
 */
export function knownLinks(paperId: string, links: PaperLinks): PaperLinks {
  const arxivId = parseArxivId(paperId);
  if (arxivId === null) return links;
  const { abstract, pdf } = arxivLinks(arxivId);
  return { abstract, pdf, ...links };
}

/**
 * Where the paper's title points: its abstract page, else its Hugging Face page, else paperboy's
 * own page of it, so every paper in a digest can be opened (code alone is not the paper).
 */
export function titleUrl(links: PaperLinks, paperPage: string): string {
  return httpsUrl(links.abstract) ?? httpsUrl(links.huggingFace) ?? paperPage;
}

const ROW: ReadonlyArray<[keyof PaperLinks, string]> = [
  ['abstract', 'Paper'],
  ['pdf', 'PDF'],
  ['code', 'Code'],
  ['huggingFace', 'Hugging Face'],
  ['projectPage', 'Project page'],
];

/**
 * The links row under a paper, only for the links it has; papers with no abstract page elsewhere
 * link to paperboy's page of them first (the plain-text part has no clickable title).
 */
export function paperLinkRow(links: PaperLinks, paperPage: string): LabelledLink[] {
  const row = ROW.flatMap(([key, label]) => {
    const url = httpsUrl(links[key]);
    return url === null ? [] : [{ label, url }];
  });
  const elsewhere = httpsUrl(links.abstract) ?? httpsUrl(links.huggingFace);
  return elsewhere === null ? [{ label: 'Paper page', url: paperPage }, ...row] : row;
}

/**
 * A link we were handed (confirm, manage, unsubscribe): must be absolute http(s), or the mail
 * would carry a link that goes nowhere. http is allowed for a local publicBaseUrl in development.
 */
export function requireAbsoluteUrl(raw: string, what: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new RangeError(`${what} must be an absolute http(s) URL, got "${raw}"`);
  }
  return raw;
}
