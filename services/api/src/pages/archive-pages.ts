import { html } from './html.ts';
import { page } from './layout.ts';

export function archivePage(editions: { id: string; editionDate: string; subject: string }[]): string {
  const items = editions.map(
    (edition) =>
      html`<li><a href="/digests/${edition.id}">${edition.editionDate}: ${edition.subject}</a></li>`,
  );
  return page(
    'Past digests',
    html`<h1>Past digests</h1>
${editions.length === 0 ? html`<p class="card">No digest has been sent yet.</p>` : html`<ul class="card">${items}</ul>`}`,
  );
}

export function subscriptionHelpPage(): string {
  return page(
    'Your subscription',
    html`<h1>Your subscription</h1>
<div class="card"><p>This copy of a digest is public and carries nobody's personal links.</p>
<p>To change your topics, time or number of papers, or to unsubscribe, use the links at the bottom of any digest in your inbox: they are yours alone.</p></div>
<p><a href="/digests">Past digests</a></p>`,
  );
}
