import type { PaperLinks } from '@paperboy/papers';

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

/** Where the paper's title points: its abstract page, else its Hugging Face page, else its code. */
export function titleUrl(links: PaperLinks): string | null {
  return httpsUrl(links.abstract) ?? httpsUrl(links.huggingFace) ?? httpsUrl(links.code);
}

const ROW: ReadonlyArray<[keyof PaperLinks, string]> = [
  ['abstract', 'Paper'],
  ['pdf', 'PDF'],
  ['code', 'Code'],
  ['huggingFace', 'Hugging Face'],
  ['projectPage', 'Project page'],
];

/** The links row under a paper, only for the links it has. */
export function paperLinkRow(links: PaperLinks): LabelledLink[] {
  return ROW.flatMap(([key, label]) => {
    const url = httpsUrl(links[key]);
    return url === null ? [] : [{ label, url }];
  });
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
