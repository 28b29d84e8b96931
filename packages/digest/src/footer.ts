import { cleanText } from './clean-text.ts';
import type { Branding } from './types.ts';
import { wrapText } from './wrap.ts';

/** The footer every mail shares; the same words go into the HTML and the text part. */
export interface FooterView {
  hasLinks: boolean;
  manageUrl: string | null;
  unsubscribeUrl: string | null;
  viewInBrowserUrl: string | null;
  reason: string;
  postalAddress: string;
}

export interface FooterLinks {
  manageUrl: string | null;
  unsubscribeUrl: string | null;
  viewInBrowserUrl: string | null;
}

export function footerView(branding: Branding, reason: string, links: FooterLinks): FooterView {
  return {
    hasLinks: links.unsubscribeUrl !== null,
    ...links,
    reason,
    postalAddress: cleanText(branding.postalAddress),
  };
}

/** The site's host name as readers know it, e.g. "paperboy.example.org". */
export function siteName(branding: Branding): string {
  return new URL(branding.publicBaseUrl).host;
}

/** Footer lines of a text part: one labelled URL per line, then the reason and the postal line. */
export function footerText(footer: FooterView): string[] {
  const links: Array<[string, string | null]> = [
    ['Manage preferences', footer.manageUrl],
    ['Unsubscribe', footer.unsubscribeUrl],
    ['View in browser', footer.viewInBrowserUrl],
  ];
  const linkLines = footer.hasLinks
    ? links.flatMap(([label, url]) => (url === null ? [] : [`${label}: ${url}`]))
    : [];
  return [
    '-'.repeat(72),
    ...linkLines,
    ...(linkLines.length > 0 ? [''] : []),
    ...wrapText(footer.reason, 72),
    ...wrapText(footer.postalAddress, 72),
  ];
}
