import type { Subscriber } from '@paperboy/db';
import type { FieldProblem } from '../preferences.ts';
import { LIMITS } from '../preferences.ts';
import { timeZones } from '../time-zones.ts';
import { html, SafeHtml } from './html.ts';
import { page } from './layout.ts';
import {
  addressSection,
  cadenceFields,
  EXTRA_STYLE,
  learnedSection,
  type ManageExtras,
  WEEKDAYS,
} from './manage-sections.ts';

/** What the form shows: the stored settings, or what the reader just typed when it had a problem. */
export interface ManageForm {
  topics: string;
  timezone: string;
  sendHour: string;
  paperCount: string;
  pauseDays: string;
  cadence: string;
  weekday: string;
}

export interface ManageView {
  subscriber: Subscriber;
  /** Paths on this site, all carrying the reader's tokens. */
  actions: {
    save: string;
    unsubscribe: string;
    dataLink: string;
    revoke: string;
    newFeedLink: string;
    changeAddress: string;
    resetLearning: string;
  };
  /** The reader's private Atom feed of their digests. */
  feedUrl: string;
  /** True right after "New feed link". */
  feedRenewed: boolean;
  extras: ManageExtras;
  form: ManageForm;
  problems: FieldProblem[];
  saved: boolean;
  now: Date;
}

const PAUSE_CHOICES = [3, 7, 14, 30, 90];

const STYLE = `
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
.hint { color: var(--muted); font-size: .92rem; margin: .2rem 0 0; }
.field-error { color: var(--accent); font-weight: 600; margin: .25rem 0 0; }
input[aria-invalid="true"], select[aria-invalid="true"] { border: 2px solid var(--accent); }
.errors { border: 2px solid var(--accent); border-radius: 8px; padding: .5rem 1rem; margin: 1rem 0; }
.errors h2 { margin: .5rem 0; }
.errors a { color: var(--accent); }
.summary { margin: 0 0 .5rem; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
@media (max-width: 30rem) { .row { grid-template-columns: 1fr; } }
a { color: var(--accent); }
.card > :first-child { margin-top: 0; }
`;

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

function dayLabel(date: Date): string {
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export function formFrom(subscriber: Subscriber): ManageForm {
  return {
    topics: subscriber.topics.join(', '),
    timezone: subscriber.timezone,
    sendHour: String(subscriber.sendHour),
    paperCount: String(subscriber.paperCount),
    pauseDays: '',
    cadence: subscriber.cadence,
    weekday: String(subscriber.weekday),
  };
}

function field(name: keyof ManageForm, view: ManageView) {
  const problem = view.problems.find((item) => item.field === name);
  const hint = `${name}-hint`;
  return {
    attrs: new SafeHtml(
      `id="${name}" name="${name}" aria-describedby="${hint}${problem ? ` ${name}-error` : ''}"${problem ? ' aria-invalid="true"' : ''}`,
    ),
    hint,
    error: problem ? html`<p class="field-error" id="${name}-error">${problem.message}</p>` : null,
  };
}

function pauseOptions(view: ManageView) {
  const paused = view.subscriber.pausedUntil && view.subscriber.pausedUntil > view.now;
  const keep = paused
    ? `Stay paused until ${dayLabel(view.subscriber.pausedUntil!)}`
    : 'Not paused: keep sending';
  return [
    html`<option value=""${new SafeHtml(view.form.pauseDays === '' ? ' selected' : '')}>${keep}</option>`,
    paused
      ? html`<option value="0"${new SafeHtml(view.form.pauseDays === '0' ? ' selected' : '')}>Resume now</option>`
      : null,
    ...PAUSE_CHOICES.map(
      (days) =>
        html`<option value="${days}"${new SafeHtml(view.form.pauseDays === String(days) ? ' selected' : '')}>Pause for ${days} days</option>`,
    ),
  ];
}

const LABELS: Record<keyof ManageForm, string> = {
  topics: 'Topics',
  timezone: 'Time zone',
  sendHour: 'Send hour',
  paperCount: 'Papers per digest',
  pauseDays: 'Pause',
  cadence: 'How often',
  weekday: 'Day of a weekly digest',
};

function errorSummary(problems: FieldProblem[]) {
  if (problems.length === 0) return null;
  return html`<div class="errors" role="alert"><h2>Nothing was saved: please fix</h2><ul>${problems.map(
    (problem) =>
      html`<li><a href="#${problem.field}">${LABELS[problem.field as keyof ManageForm] ?? problem.field}: ${problem.message}</a></li>`,
  )}</ul></div>`;
}

function statusLine(view: ManageView) {
  const { subscriber } = view;
  if (subscriber.status === 'pending')
    return html`<p class="notice">Your address is not confirmed yet: click the link in the confirmation mail to start your digest.</p>`;
  if (subscriber.pausedUntil && subscriber.pausedUntil > view.now)
    return html`<p class="notice">Paused until ${dayLabel(subscriber.pausedUntil)}.</p>`;
  return null;
}

function preferencesForm(view: ManageView) {
  const topics = field('topics', view);
  const timezone = field('timezone', view);
  const sendHour = field('sendHour', view);
  const paperCount = field('paperCount', view);
  const pause = field('pauseDays', view);
  const cadenceProblem = view.problems.find((item) => item.field === 'cadence' || item.field === 'weekday');
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  return html`<form method="post" action="${view.actions.save}" class="card" novalidate>
<label for="topics">Topics</label>
<input type="text" ${topics.attrs} value="${view.form.topics}" maxlength="2000" autocomplete="off">
<p class="hint" id="${topics.hint}">Separated by commas, e.g. <i>diffusion, language models</i>. Papers that match come first; leave empty for the day's most discussed papers. Up to ${LIMITS.topics}.</p>
${topics.error}
<label for="timezone">Time zone</label>
<input type="text" ${timezone.attrs} value="${view.form.timezone}" list="time-zones" autocomplete="off" spellcheck="false" required maxlength="64">
<datalist id="time-zones">${timeZones.map((zone) => html`<option value="${zone}"></option>`)}</datalist>
<p class="hint" id="${timezone.hint}">Start typing a city or region, e.g. <i>Berlin</i> or <i>America/New_York</i>.</p>
${timezone.error}
<div class="row"><div>
<label for="sendHour">Send hour</label>
<select ${sendHour.attrs}>${hours.map(
    (hour) =>
      html`<option value="${hour}"${new SafeHtml(view.form.sendHour === String(hour) ? ' selected' : '')}>${hourLabel(hour)}</option>`,
  )}</select>
<p class="hint" id="${sendHour.hint}">In your time zone.</p>
${sendHour.error}
</div><div>
<label for="paperCount">Papers per digest</label>
<input type="number" ${paperCount.attrs} value="${view.form.paperCount}" min="${LIMITS.minPapers}" max="${LIMITS.maxPapers}" step="1" inputmode="numeric" required>
<p class="hint" id="${paperCount.hint}">From ${LIMITS.minPapers} to ${LIMITS.maxPapers}.</p>
${paperCount.error}
</div></div>
${cadenceFields(view.form, cadenceProblem ? html`<p class="field-error" id="cadence-error">${cadenceProblem.message}</p>` : null)}
<label for="pauseDays">Pause</label>
<select ${pause.attrs}>${pauseOptions(view)}</select>
<p class="hint" id="${pause.hint}">Going away? No digests until the pause ends; nothing else changes.</p>
${pause.error}
<button type="submit">Save preferences</button>
</form>`;
}

function feedSection(view: ManageView) {
  return html`<h2 id="feed">Your feed</h2>
<div class="card">
${view.feedRenewed ? html`<p class="notice" role="status">New feed link made: the old one no longer works.</p>` : null}
<p>Every digest we send you, in your feed reader (Atom).</p>
<label for="feed-link">Your feed link</label>
<input type="text" id="feed-link" value="${view.feedUrl}" readonly spellcheck="false" aria-describedby="feed-link-hint">
<p class="hint" id="feed-link-hint">Yours alone, like this page: copy it into your feed reader. Shared it by mistake? Make a new one and the old one stops working.</p>
<form method="post" action="${view.actions.newFeedLink}"><button type="submit" class="secondary">New feed link</button></form>
</div>`;
}

function leaveAndData(view: ManageView) {
  const { actions } = view;
  return html`<h2>Leave</h2>
<form method="post" action="${actions.unsubscribe}" class="card">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<p>No more digests, from now on. You can sign up again at any time.</p>
<button type="submit" class="secondary">Unsubscribe</button>
</form>
${yourData(view)}`;
}

function yourData(view: ManageView) {
  const { actions } = view;
  return html`<h2>Your data</h2>
<div class="card">
<form method="post" action="${actions.dataLink}">
<p>Download everything stored about you (JSON: your settings and which papers were sent when), or erase it for good: we mail you a link for that, which works for an hour.</p>
<button type="submit" class="secondary">Mail me a link to download or erase my data</button>
</form>
<form method="post" action="${actions.revoke}">
<p>Shared a digest by mistake? Sign out every link sent so far; you get a new link to this page.</p>
<button type="submit" class="secondary">Sign out all links</button>
</form>
</div>`;
}

export function managePage(view: ManageView): string {
  const { subscriber } = view;
  if (subscriber.status === 'unsubscribed') {
    return page(
      'You are unsubscribed',
      html`<h1>You're unsubscribed</h1>
<div class="card"><p>No digests go to <strong>${subscriber.email}</strong>. To get them again, sign up again and confirm the mail we send.</p></div>
${yourData(view)}`,
      STYLE,
    );
  }
  return page(
    'Your digest preferences',
    html`<h1>Your digest preferences</h1>
<p class="summary">For <strong>${subscriber.email}</strong>: ${subscriber.paperCount} papers ${subscriber.cadence === 'weekly' ? `every ${WEEKDAYS[subscriber.weekday - 1]}` : 'daily'} at ${hourLabel(subscriber.sendHour)} (${subscriber.timezone}).</p>
${view.saved ? html`<p class="notice" role="status">Saved. Your next digest follows these settings.</p>` : null}
${statusLine(view)}
${errorSummary(view.problems)}
${preferencesForm(view)}
${feedSection(view)}
${learnedSection(view.extras, view.actions.resetLearning)}
${addressSection(view.extras, view.actions.changeAddress, subscriber.email)}
${leaveAndData(view)}`,
    STYLE + EXTRA_STYLE,
  );
}
