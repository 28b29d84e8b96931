import { cleanText } from './clean-text.ts';
import { formatEditionDate } from './dates.ts';
import { type FooterView, footerView, siteName } from './footer.ts';
import { type PaperParts, paperParts, UNTITLED } from './paper-parts.ts';
import {
  MANAGE_URL_PLACEHOLDER,
  UNSUBSCRIBE_URL_PLACEHOLDER,
  VIEW_IN_BROWSER_URL_PLACEHOLDER,
  votePlaceholder,
} from './personal-links.ts';
import { digestPreview, digestSubject, weeklyDigestSubject } from './subject.ts';
import type { Branding, DigestPaper, EditionInput } from './types.ts';

/** One paper as both parts of the mail show it, so HTML and text carry the same words. */
export interface PaperView extends PaperParts {
  number: number;
  matched: string;
  /** The reader's "more like this" / "less like this" links: placeholders until send time. */
  moreUrl: string;
  lessUrl: string;
}

export interface DigestView {
  subject: string;
  preview: string;
  homeUrl: string;
  countLabel: string;
  dateLabel: string;
  papers: PaperView[];
  footer: FooterView;
}

function paperView(paper: DigestPaper, index: number, publicBaseUrl: string): PaperView {
  const topics = paper.matchedTopics.map(cleanText).filter((topic) => topic.length > 0);
  const parts = paperParts(paper, publicBaseUrl);
  return {
    number: index + 1,
    title: parts.title,
    titleUrl: parts.titleUrl,
    authors: parts.authors,
    badges: parts.badges,
    summary: parts.summary,
    links: parts.links,
    matched: topics.length > 0 ? `Matched: ${topics.join(', ')}` : '',
    moreUrl: votePlaceholder(index + 1, 'more'),
    lessUrl: votePlaceholder(index + 1, 'less'),
    fragments: parts.fragments,
  };
}

/** Everything a digest shows, computed once and shared by the HTML, text and subject. */
export function digestView(input: EditionInput, branding: Branding): DigestView {
  const first = input.papers[0];
  if (first === undefined) throw new RangeError('An edition needs at least one paper');
  const count = input.papers.length;
  const weekly = input.cadence === 'weekly';
  const topTitle = cleanText(first.title) || UNTITLED;
  const countLabel = `${count} trending ${count === 1 ? 'paper' : 'papers'}`;
  return {
    subject: weekly ? weeklyDigestSubject(count, topTitle) : digestSubject(count, topTitle),
    preview: digestPreview(
      input.papers.map((paper) => paper.title),
      140,
      weekly,
    ),
    homeUrl: branding.publicBaseUrl,
    countLabel: weekly ? `${countLabel} this week` : countLabel,
    dateLabel: weekly
      ? `The week's best you have not seen yet · ${formatEditionDate(input.date)}`
      : formatEditionDate(input.date),
    papers: input.papers.map((paper, index) => paperView(paper, index, branding.publicBaseUrl)),
    footer: footerView(
      branding,
      `You get this mail because you subscribed to the paperboy ${weekly ? 'weekly' : 'daily'} digest at ${siteName(branding)}.`,
      {
        manageUrl: MANAGE_URL_PLACEHOLDER,
        unsubscribeUrl: UNSUBSCRIBE_URL_PLACEHOLDER,
        viewInBrowserUrl: VIEW_IN_BROWSER_URL_PLACEHOLDER,
      },
    ),
  };
}
