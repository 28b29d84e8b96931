import { escapeHtml } from './escape-html.ts';
import { requireAbsoluteUrl } from './links.ts';
import type { PersonalLinks, RenderedMail } from './types.ts';

/*
 * An edition is rendered once and shared, so the reader's own links stay placeholders until send
 * time. `%%` survives MJML, Handlebars escaping and text wrapping untouched, and cleanText() keeps
 * it out of paper text, so these strings appear in a rendered mail only where links belong.
 */
export const UNSUBSCRIBE_URL_PLACEHOLDER = '%%PB_UNSUBSCRIBE_URL%%';
export const MANAGE_URL_PLACEHOLDER = '%%PB_MANAGE_URL%%';
export const VIEW_IN_BROWSER_URL_PLACEHOLDER = '%%PB_VIEW_IN_BROWSER_URL%%';

export const PERSONAL_LINK_PLACEHOLDERS: Readonly<Record<keyof PersonalLinks, string>> = Object.freeze({
  unsubscribeUrl: UNSUBSCRIBE_URL_PLACEHOLDER,
  manageUrl: MANAGE_URL_PLACEHOLDER,
  viewInBrowserUrl: VIEW_IN_BROWSER_URL_PLACEHOLDER,
});

const ANY_PLACEHOLDER = /%%PB_(UNSUBSCRIBE|MANAGE|VIEW_IN_BROWSER)_URL%%/g;
const KEY_BY_NAME: Record<string, keyof PersonalLinks> = {
  UNSUBSCRIBE: 'unsubscribeUrl',
  MANAGE: 'manageUrl',
  VIEW_IN_BROWSER: 'viewInBrowserUrl',
};

function fill(body: string, values: Record<keyof PersonalLinks, string>): string {
  // A replacer function, not a replacement string: a URL holding "$&" must stay literal.
  return body.replace(
    ANY_PLACEHOLDER,
    (_match, name: string) => values[KEY_BY_NAME[name] ?? 'unsubscribeUrl'],
  );
}

/**
 * A shared edition made into one reader's mail: every placeholder replaced, HTML-escaped in the
 * HTML part and verbatim in the text part. One pass over each part, cheap enough per send.
 */
export function personalise(mail: RenderedMail, links: PersonalLinks): RenderedMail {
  const raw = {
    unsubscribeUrl: requireAbsoluteUrl(links.unsubscribeUrl, 'unsubscribeUrl'),
    manageUrl: requireAbsoluteUrl(links.manageUrl, 'manageUrl'),
    viewInBrowserUrl: requireAbsoluteUrl(links.viewInBrowserUrl, 'viewInBrowserUrl'),
  };
  const escaped = {
    unsubscribeUrl: escapeHtml(raw.unsubscribeUrl),
    manageUrl: escapeHtml(raw.manageUrl),
    viewInBrowserUrl: escapeHtml(raw.viewInBrowserUrl),
  };
  return { ...mail, html: fill(mail.html, escaped), text: fill(mail.text, raw) };
}
