import {
  knownLinks,
  type LabelledLink,
  paperLinkRow,
  paperPageUrl,
  shortenAuthors,
  titleUrl,
} from '@paperboy/digest';
import type { PaperLinks } from '@paperboy/papers';
import { html } from './html.ts';

/** What a list of papers on a page needs of each paper. */
export interface ListedPaperCard {
  id: string;
  title: string;
  authors: string[];
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
}

const NUMBER = new Intl.NumberFormat('en-US');

/** "12 upvotes · 3 comments": only the counts the sources know. */
export function countsLine(paper: Pick<ListedPaperCard, 'upvotes' | 'comments'>): string {
  const parts: string[] = [];
  if (paper.upvotes !== null)
    parts.push(`${NUMBER.format(paper.upvotes)} ${paper.upvotes === 1 ? 'upvote' : 'upvotes'}`);
  if (paper.comments !== null)
    parts.push(`${NUMBER.format(paper.comments)} ${paper.comments === 1 ? 'comment' : 'comments'}`);
  return parts.join(' · ');
}

/**
 * A paper's links as the digest shows them, with paperboy's own page (relative: these pages are
 * on this site) for papers that have none elsewhere.
 */
export function paperLinks(paper: Pick<ListedPaperCard, 'id' | 'links'>): {
  title: string;
  row: LabelledLink[];
} {
  const links = knownLinks(paper.id, paper.links);
  const own = paperPageUrl('', paper.id);
  return { title: titleUrl(links, own), row: paperLinkRow(links, own) };
}

/** One paper in a list: linked title, shortened authors, counts and its links. */
export function paperListItem(paper: ListedPaperCard) {
  const links = paperLinks(paper);
  const counts = countsLine(paper);
  const authors = shortenAuthors(paper.authors);
  return html`<li class="paper">
<h3><a href="${links.title}">${paper.title}</a></h3>
${authors ? html`<p class="meta">${authors}</p>` : null}
${counts ? html`<p class="meta">${counts}</p>` : null}
<p class="links">${links.row.map(
    (link, index) => html`${index > 0 ? ' · ' : ''}<a href="${link.url}">${link.label}</a>`,
  )}</p>
</li>`;
}

export const PAPER_LIST_STYLE = `
.papers { list-style: none; padding: 0; margin: 0; }
.paper { padding: .9rem 0; border-top: 1px solid rgba(127,127,127,.25); }
.paper:first-child { border-top: 0; padding-top: 0; }
.paper h3 { font-size: 1.02rem; line-height: 1.35; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.paper .meta { color: var(--muted); font-size: .9rem; margin: 0; }
.paper .links { font-size: .9rem; margin: .3rem 0 0; }
a { color: var(--accent); }
`;
