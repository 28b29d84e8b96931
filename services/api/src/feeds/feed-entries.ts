import type { DailyPaper, FeedPaper, ReaderFeedEntry } from '@paperboy/db';
import { knownLinks, paperLinkRow, paperPageUrl, paperSummary, titleUrl } from '@paperboy/digest';
import { editionUrl } from '@paperboy/links';
import { html, type SafeHtml } from '../pages/html.ts';
import { countsLine } from '../pages/paper-bits.ts';
import type { FeedDocument, FeedEntry } from './feed-formats.ts';

// Feeds go to other sites' readers, so every link in them is absolute.
function links(base: string, paper: FeedPaper) {
  const known = knownLinks(paper.id, paper.links);
  const own = paperPageUrl(base, paper.id);
  return { title: titleUrl(known, own), row: paperLinkRow(known, own), own };
}

function paperHtml(base: string, paper: FeedPaper): SafeHtml {
  const paperLinks = links(base, paper);
  const counts = countsLine(paper);
  return html`<p>${paper.authors.join(', ')}${counts ? html` · ${counts}` : null}</p>
<p>${paperSummary(paper.abstract, paper.aiSummary)}</p>
<p>${paperLinks.row.map((link, index) => html`${index > 0 ? ' · ' : ''}<a href="${link.url}">${link.label}</a>`)}</p>`;
}

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);

/** The public feed: each of the last days' top papers is an entry of its own. */
export function dailyFeed(base: string, papers: DailyPaper[]): FeedDocument {
  const entries: FeedEntry[] = papers.map((paper) => ({
    // paperboy's page of the paper: permanent, and the same however its links change.
    id: links(base, paper).own,
    title: paper.title,
    url: links(base, paper).title,
    updated: paper.updatedAt,
    published: dayStart(paper.day),
    authors: paper.authors,
    summary: paperSummary(paper.abstract, paper.aiSummary),
    contentHtml: paperHtml(base, paper).value,
    tags: [`top ${paper.rank} on ${paper.day}`],
  }));
  return {
    id: `${base}/feeds/daily`,
    title: 'paperboy: trending research papers',
    description: 'The top trending research papers of each day, as paperboy ranks them for its daily digest.',
    homeUrl: `${base}/`,
    atomUrl: `${base}/feeds/daily.atom`,
    jsonUrl: `${base}/feeds/daily.json`,
    updated: newest(entries),
    entries,
  };
}

/** A reader's own feed: one entry per digest they were sent, linking to its web copy. */
export function readerFeed(
  base: string,
  reader: { id: string },
  feedUrl: string,
  digests: ReaderFeedEntry[],
): FeedDocument {
  const entries: FeedEntry[] = digests.map((digest) => ({
    id: `urn:uuid:${digest.deliveryId}`,
    title: digest.subject,
    url: editionUrl({ publicBaseUrl: base }, digest.editionId),
    updated: new Date(digest.sentAt),
    published: new Date(digest.sentAt),
    authors: [],
    summary: `Your digest of ${digest.localDate}: ${digest.papers.length} ${digest.papers.length === 1 ? 'paper' : 'papers'}.`,
    contentHtml: html`<ol>${digest.papers.map(
      (paper) =>
        html`<li><p><a href="${links(base, paper).title}">${paper.title}</a></p>${paperHtml(base, paper)}</li>`,
    )}</ol>`.value,
    tags: [],
  }));
  return {
    id: `urn:uuid:${reader.id}`,
    title: 'Your paperboy digests',
    description: 'Every digest paperboy sent you, newest first. Keep this link to yourself.',
    homeUrl: `${base}/`,
    atomUrl: feedUrl,
    jsonUrl: null,
    updated: newest(entries),
    entries,
  };
}

function newest(entries: FeedEntry[]): Date {
  const times = entries.map((entry) => entry.updated.getTime());
  // An empty feed still needs an <updated>; the epoch keeps it (and its ETag) stable.
  return new Date(times.length > 0 ? Math.max(...times) : 0);
}
