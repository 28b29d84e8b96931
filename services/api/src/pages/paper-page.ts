import type { PaperPage } from '@paperboy/db';
import type { PaperSource } from '@paperboy/papers';
import { html } from './html.ts';
import { page } from './layout.ts';
import { countsLine, paperLinks } from './paper-bits.ts';

const SOURCES: Record<PaperSource, string> = {
  huggingface: 'Hugging Face daily papers',
  arxiv: 'arXiv',
  sample: 'the bundled sample of papers',
  jsonl: 'an imported file',
};

const STYLE = `
.authors { margin: 0 0 .5rem; }
.meta { color: var(--muted); font-size: .92rem; margin: .25rem 0; }
.links { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: 1rem 0 0; list-style: none; }
.links a { display: inline-block; padding: .45rem .8rem; border: 2px solid var(--accent); border-radius: 8px; color: var(--accent); font-weight: 600; text-decoration: none; }
.links a:hover, .links a:focus-visible { background: var(--accent); color: #fff; }
h1 { overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.abstract p { margin: 0 0 .8rem; }
.keywords { color: var(--muted); font-size: .92rem; }
.next { margin-top: 2rem; }
a { color: var(--accent); }
`;

function day(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : value;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function provenance(paper: PaperPage): string {
  const from = paper.sources.map((source) => SOURCES[source] ?? source).join(' and ');
  const parts = [from ? `From ${from}` : ''];
  if (paper.trendingDate) parts.push(`trending on ${day(paper.trendingDate)}`);
  else if (paper.publishedAt) parts.push(`published ${day(paper.publishedAt)}`);
  return parts.filter((part) => part.length > 0).join(', ');
}

/** paperboy's own page of a paper: what a digest links to when the paper has no page elsewhere. */
export function paperPage(paper: PaperPage): string {
  // The page itself is the fallback, so it lists only the links that lead elsewhere.
  const links = paperLinks(paper).row.filter((link) => !link.url.startsWith('/'));
  const counts = countsLine(paper);
  const paragraphs = paper.abstract.split(/\n{2,}/).filter((text) => text.trim().length > 0);
  return page(
    paper.title,
    html`<article>
<h1>${paper.title}</h1>
${paper.authors.length > 0 ? html`<p class="authors">${paper.authors.join(', ')}</p>` : null}
<p class="meta">${[provenance(paper), counts].filter((part) => part.length > 0).join(' · ')}</p>
${links.length > 0 ? html`<ul class="links" aria-label="Read the paper">${links.map((link) => html`<li><a href="${link.url}">${link.label}</a></li>`)}</ul>` : null}
${paper.aiSummary ? html`<h2>In short</h2><p>${paper.aiSummary}</p>` : null}
<h2>Abstract</h2>
<div class="abstract">${paragraphs.length > 0 ? paragraphs.map((text) => html`<p>${text}</p>`) : html`<p class="meta">The sources gave no abstract.</p>`}</div>
${paper.aiKeywords.length > 0 ? html`<p class="keywords">Keywords: ${paper.aiKeywords.join(', ')}</p>` : null}
</article>
<p class="next"><a href="/">Get trending papers like this in your inbox</a> · <a href="/digests">Past digests</a></p>`,
    STYLE,
    { indexable: true },
  );
}

export function paperNotFoundPage(): string {
  return page(
    'Paper not found',
    html`<h1>No paper here</h1>
<div class="card"><p>paperboy has no paper with this id. It may have been withdrawn by its authors.</p>
<p><a href="/">Today's trending papers</a></p></div>`,
  );
}
