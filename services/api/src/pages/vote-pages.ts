import type { VoteDirection } from '@paperboy/links';
import { html } from './html.ts';
import { page } from './layout.ts';

const WORDS: Record<VoteDirection, { ask: string; button: string; done: string }> = {
  more: { ask: 'More papers like this?', button: 'Yes, more like this', done: 'more papers like' },
  less: { ask: 'Fewer papers like this?', button: 'Yes, less like this', done: 'fewer papers like' },
};

/** What a vote link opens: the paper and one button. Opening it records nothing (mail scanners open links). */
export function votePage(action: string, direction: VoteDirection, title: string): string {
  const words = WORDS[direction];
  return page(
    words.ask,
    html`<h1>${words.ask}</h1>
<div class="card"><p><strong>${title}</strong></p>
<p class="muted">paperboy learns from what you mark: papers that share this one's subject ${direction === 'more' ? 'rise' : 'sink'} in your next digests.</p>
<form method="post" action="${action}"><button type="submit">${words.button}</button></form></div>`,
  );
}

export function votedPage(direction: VoteDirection, title: string, manageUrl: string): string {
  return page(
    'Noted',
    html`<h1>Noted</h1>
<div class="card" role="status"><p>You will see ${WORDS[direction].done} <strong>${title}</strong>.</p>
<p>Marked the wrong one? Use the other link beside the paper in your digest: your latest choice counts.</p>
<p><a href="${manageUrl}">See what paperboy has learned, or reset it</a></p></div>`,
  );
}
