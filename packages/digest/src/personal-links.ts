import { escapeHtml } from './escape-html.ts';
import { requireAbsoluteUrl } from './links.ts';
import type { PersonalLinks, RenderedMail, VoteDirection } from './types.ts';

/*
 * An edition is rendered once and shared, so the reader's own links stay placeholders until send
 * time. `%%` survives MJML, Handlebars escaping and text wrapping untouched, and cleanText() keeps
 * it out of paper text, so these strings appear in a rendered mail only where links belong.
 */
export const UNSUBSCRIBE_URL_PLACEHOLDER = '%%PB_UNSUBSCRIBE_URL%%';
export const MANAGE_URL_PLACEHOLDER = '%%PB_MANAGE_URL%%';
export const VIEW_IN_BROWSER_URL_PLACEHOLDER = '%%PB_VIEW_IN_BROWSER_URL%%';

type FixedLinks = Omit<PersonalLinks, 'voteUrl'>;

export const PERSONAL_LINK_PLACEHOLDERS: Readonly<Record<keyof FixedLinks, string>> = Object.freeze({
  unsubscribeUrl: UNSUBSCRIBE_URL_PLACEHOLDER,
  manageUrl: MANAGE_URL_PLACEHOLDER,
  viewInBrowserUrl: VIEW_IN_BROWSER_URL_PLACEHOLDER,
});

/** The vote link placeholder of the paper at a 1-based position: one per paper and direction. */
export function votePlaceholder(position: number, direction: VoteDirection): string {
  return `%%PB_VOTE_${direction.toUpperCase()}_${position}%%`;
}

const ANY_PLACEHOLDER = /%%PB_(?:(UNSUBSCRIBE|MANAGE|VIEW_IN_BROWSER)_URL|VOTE_(MORE|LESS)_(\d{1,3}))%%/g;
const KEY_BY_NAME: Record<string, keyof FixedLinks> = {
  UNSUBSCRIBE: 'unsubscribeUrl',
  MANAGE: 'manageUrl',
  VIEW_IN_BROWSER: 'viewInBrowserUrl',
};

/** Where a reader's link goes in a shared part: one of the fixed links, or a paper's vote link. */
export type LinkSlot =
  | { link: keyof FixedLinks }
  | { link: 'voteUrl'; position: number; direction: VoteDirection };

/**
 * A part cut at its placeholders: literal text and link slots, in order. Cut once per edition, a
 * part is filled for each reader by joining, with no search through the text per message.
 */
export function splitAtLinks(body: string): (string | LinkSlot)[] {
  const pieces: (string | LinkSlot)[] = [];
  let last = 0;
  for (const match of body.matchAll(ANY_PLACEHOLDER)) {
    const [placeholder, name, direction, position] = match;
    pieces.push(body.slice(last, match.index));
    pieces.push(
      name !== undefined
        ? { link: KEY_BY_NAME[name] ?? 'unsubscribeUrl' }
        : { link: 'voteUrl', position: Number(position), direction: direction === 'MORE' ? 'more' : 'less' },
    );
    last = match.index + placeholder.length;
  }
  pieces.push(body.slice(last));
  return pieces;
}

/** Every link value a reader's mail needs, each computed once and shared by both parts. */
export class LinkValues {
  private readonly votes = new Map<string, string>();
  readonly fixed: FixedLinks;

  constructor(private readonly links: PersonalLinks) {
    this.fixed = {
      unsubscribeUrl: requireAbsoluteUrl(links.unsubscribeUrl, 'unsubscribeUrl'),
      manageUrl: requireAbsoluteUrl(links.manageUrl, 'manageUrl'),
      viewInBrowserUrl: requireAbsoluteUrl(links.viewInBrowserUrl, 'viewInBrowserUrl'),
    };
  }

  of(slot: LinkSlot): string {
    return slot.link === 'voteUrl' ? this.vote(slot.position, slot.direction) : this.fixed[slot.link];
  }

  vote(position: number, direction: VoteDirection): string {
    const key = `${direction}${position}`;
    let url = this.votes.get(key);
    if (url === undefined) {
      url = requireAbsoluteUrl(this.links.voteUrl(position, direction), 'voteUrl');
      this.votes.set(key, url);
    }
    return url;
  }
}

function fill(body: string, values: LinkValues, encode: (url: string) => string): string {
  // A replacer function, not a replacement string: a URL holding "$&" must stay literal.
  return body.replace(ANY_PLACEHOLDER, (_match, name?: string, direction?: string, position?: string) =>
    encode(
      name !== undefined
        ? values.fixed[KEY_BY_NAME[name] ?? 'unsubscribeUrl']
        : values.vote(Number(position), direction === 'MORE' ? 'more' : 'less'),
    ),
  );
}

/**
 * A shared edition made into one reader's mail: every placeholder replaced, HTML-escaped in the
 * HTML part and verbatim in the text part. One pass over each part, cheap enough per send.
 */
export function personalise(mail: RenderedMail, links: PersonalLinks): RenderedMail {
  const values = new LinkValues(links);
  return { ...mail, html: fill(mail.html, values, escapeHtml), text: fill(mail.text, values, (url) => url) };
}
