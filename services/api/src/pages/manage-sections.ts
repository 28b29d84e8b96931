import type { Learning } from '@paperboy/db';
import { html, SafeHtml } from './html.ts';

/*
 * The preference centre's parts for cadence, learning and change of address, kept apart from
 * manage-page.ts so that page stays about the form it always had.
 */

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface ManageExtras {
  learning: Learning;
  pendingAddress: { newEmail: string; expiresAt: Date } | null;
  /** What the last action left to say: from the query string of the redirect. */
  addressNotice: 'sent' | 'invalid' | 'refused' | null;
  learningReset: boolean;
}

const selected = (yes: boolean) => new SafeHtml(yes ? ' selected' : '');
const checked = (yes: boolean) => new SafeHtml(yes ? ' checked' : '');

/** Daily or weekly, and the weekday of a weekly digest: plain radios and a select, no script. */
export function cadenceFields(form: { cadence: string; weekday: string }, error: SafeHtml | null) {
  return html`<fieldset class="cadence" aria-describedby="cadence-hint">
<legend>How often</legend>
<label class="choice"><input type="radio" name="cadence" value="daily"${checked(form.cadence !== 'weekly')}> Daily: the day's trending papers</label>
<label class="choice"><input type="radio" name="cadence" value="weekly"${checked(form.cadence === 'weekly')}> Weekly: the week's best, once a week</label>
<label for="weekday">Day of a weekly digest</label>
<select id="weekday" name="weekday">${WEEKDAYS.map(
    (day, index) =>
      html`<option value="${index + 1}"${selected(form.weekday === String(index + 1))}>${day}</option>`,
  )}</select>
<p class="hint" id="cadence-hint">A weekly digest brings the week's best papers you have not had yet, on this day at your send hour.</p>
${error}
</fieldset>`;
}

function termList(terms: Learning['more']) {
  return html`<ul class="terms">${terms.slice(0, 10).map((term) => html`<li>${term.label}</li>`)}</ul>`;
}

/** What "more like this" / "less like this" taught, and a button to forget it. */
export function learnedSection(extras: ManageExtras, resetAction: string) {
  const { learning } = extras;
  const votes = learning.votes.more + learning.votes.less;
  const notice = extras.learningReset
    ? html`<p class="notice" role="status">Forgotten. Your digests rank as they did before your first vote.</p>`
    : null;
  if (votes === 0) {
    return html`<h2 id="learning">What paperboy learned</h2>${notice}
<div class="card"><p>Nothing yet. Every paper in your digest has "More like this" and "Less like this" links: what you mark lifts or sinks similar papers in your next digests.</p></div>`;
  }
  return html`<h2 id="learning">What paperboy learned</h2>${notice}
<div class="card">
<p>From ${learning.votes.more} "more like this" and ${learning.votes.less} "less like this":</p>
<div class="row"><div><h3>More papers about</h3>${learning.more.length > 0 ? termList(learning.more) : html`<p class="hint">Nothing yet.</p>`}</div>
<div><h3>Fewer papers about</h3>${learning.less.length > 0 ? termList(learning.less) : html`<p class="hint">Nothing yet.</p>`}</div></div>
<form method="post" action="${resetAction}">
<p class="hint">Forget every vote; your topics stay.</p>
<button type="submit" class="secondary">Reset what was learned</button>
</form>
</div>`;
}

const ADDRESS_NOTICES = {
  sent: 'If that address can receive mail, a confirmation link is on its way to it. Your digests keep coming here until the link is clicked.',
  invalid: 'That is not a valid new address: nothing was sent.',
  refused: 'Your subscription is not active, so it cannot move: nothing was sent.',
} as const;

/** Moving the digests to another address: confirmed from the new address before anything changes. */
export function addressSection(extras: ManageExtras, action: string, currentEmail: string) {
  const notice = extras.addressNotice
    ? html`<p class="notice" role="status">${ADDRESS_NOTICES[extras.addressNotice]}</p>`
    : null;
  return html`<h2 id="address">Change address</h2>${notice}
<form method="post" action="${action}" class="card">
<label for="new-email">New email address</label>
<input type="email" id="new-email" name="email" autocomplete="email" maxlength="254" required aria-describedby="new-email-hint">
<p class="hint" id="new-email-hint">We send a link to the new address; your digests move there when it is clicked, and ${currentEmail} gets a notice.${
    extras.pendingAddress
      ? html` Waiting for a click at <strong>${extras.pendingAddress.newEmail}</strong>.`
      : null
  }</p>
<button type="submit" class="secondary">Send confirmation link</button>
</form>`;
}

export const EXTRA_STYLE = `
fieldset.cadence { border: 0; padding: 0; margin: 1rem 0 0; }
fieldset.cadence legend { font-weight: 600; padding: 0; }
label.choice { font-weight: 400; display: flex; gap: .5rem; align-items: center; margin: .35rem 0; }
label.choice input { width: auto; }
ul.terms { margin: .25rem 0; padding-left: 1.2rem; }
h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
`;
