import type { FrontDoorForm } from '../routes/front-door-form.ts';
import type { SignupProblem } from '../signup.ts';
import { timeZones } from '../time-zones.ts';
import { html, SafeHtml } from './html.ts';
import { page } from './layout.ts';
import { hourLabel } from './manage-page.ts';
import { type ListedPaperCard, PAPER_LIST_STYLE, paperListItem } from './paper-bits.ts';

export interface FrontDoorView {
  form: FrontDoorForm;
  problems: SignupProblem[];
  /** accepted: the same words for every address; limited: a sign-up budget is spent. */
  outcome: { kind: 'form' } | { kind: 'accepted' } | { kind: 'limited'; message: string };
  /** True when the time zone is our default, so the browser's own zone may replace it. */
  presetTimeZone: boolean;
  suggestions: string[];
  papers: ListedPaperCard[];
  feeds: { atom: string; json: string };
  /** The inline script's source; the page's Content-Security-Policy allows exactly it by hash. */
  script: string;
}

export const PROMISE = 'Get trending papers in your email inbox once a day!';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const LABELS: Record<string, string> = {
  email: 'Email address',
  topics: 'Topics',
  cadence: 'How often',
  weekday: 'Day of the week',
  timezone: 'Time zone',
  sendHour: 'Hour',
};

const STYLE = `
main { max-width: 70rem; }
.hero h1 { font-size: clamp(1.7rem, 4.5vw, 2.6rem); line-height: 1.15; margin: 1.25rem 0 .75rem; max-width: 40rem; }
.lede { font-size: 1.08rem; max-width: 40rem; margin: 0 0 1.75rem; }
.columns { display: grid; gap: 2rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 60rem) { .columns { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); align-items: start; } }
h2 { font-size: 1.25rem; margin: 0 0 .75rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0 0; }
.field-error { color: var(--accent); font-weight: 600; margin: .3rem 0 0; }
input[aria-invalid="true"], select[aria-invalid="true"] { border: 2px solid var(--accent); }
fieldset { border: 0; padding: 0; margin: 1rem 0 0; min-width: 0; }
legend { font-weight: 600; padding: 0; margin-bottom: .35rem; }
.choices { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.choices label { display: flex; align-items: center; gap: .45rem; font-weight: 400; margin: 0; }
.choices input { width: 1.2rem; height: 1.2rem; margin: 0; accent-color: var(--accent); }
.signup form:has(#cadence-daily:checked) .weekday { display: none; }
.row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0 1rem; }
@media (max-width: 26rem) { .row { grid-template-columns: minmax(0, 1fr); } }
button { width: 100%; font-size: 1.05rem; }
input, select { min-height: 2.8rem; }
.papers.card { padding: 1.25rem; }
.errors { border: 2px solid var(--accent); border-radius: 8px; padding: .5rem 1rem; margin: 0 0 1rem; }
.errors h3 { margin: .4rem 0; font-size: 1rem; }
.errors ul { margin: 0 0 .4rem; padding-left: 1.2rem; }
.done { border-left: 4px solid var(--accent); padding: .25rem 1rem; margin: 0 0 1rem; }
.done h3 { margin: .25rem 0; font-size: 1.05rem; }
.done p { margin: .25rem 0; }
.elsewhere { margin-top: 1.25rem; display: flex; flex-wrap: wrap; gap: .4rem 1.25rem; }
.fineprint { color: var(--muted); font-size: .85rem; margin: .75rem 0 0; }
${PAPER_LIST_STYLE}
`;

function describe(name: keyof FrontDoorForm, view: FrontDoorView, hasHint = true) {
  const problem = view.problems.find((item) => item.field === name);
  const ids = [hasHint ? `${name}-hint` : '', problem ? `${name}-error` : ''].filter(Boolean).join(' ');
  return {
    attrs: new SafeHtml(`${ids ? `aria-describedby="${ids}"` : ''}${problem ? ' aria-invalid="true"' : ''}`),
    error: problem ? html`<p class="field-error" id="${name}-error">${problem.message}</p>` : null,
  };
}

const selected = (yes: boolean) => new SafeHtml(yes ? ' selected' : '');
const checked = (yes: boolean) => new SafeHtml(yes ? ' checked' : '');

function errorSummary(problems: SignupProblem[]) {
  if (problems.length === 0) return null;
  return html`<div class="errors" role="alert"><h3>Please fix ${problems.length === 1 ? 'this' : 'these'} to subscribe</h3><ul>${problems.map(
    (problem) =>
      html`<li><a href="#${problem.field === 'cadence' ? 'cadence-daily' : problem.field}">${LABELS[problem.field] ?? problem.field}: ${problem.message}</a></li>`,
  )}</ul></div>`;
}

function outcomeNotice(view: FrontDoorView) {
  if (view.outcome.kind === 'accepted')
    return html`<div class="done" role="status"><h3>Check your inbox</h3>
<p>If this address can receive mail, a confirmation link is on its way. Click it to start your digest; nothing is sent before you do.</p></div>`;
  if (view.outcome.kind === 'limited')
    return html`<div class="errors" role="alert"><h3>Too many sign-ups just now</h3><p>${view.outcome.message}</p></div>`;
  return null;
}

function signupForm(view: FrontDoorView) {
  const { form } = view;
  const email = describe('email', view, false);
  const topics = describe('topics', view);
  const cadence = describe('cadence', view, false);
  const weekday = describe('weekday', view);
  const timezone = describe('timezone', view);
  const sendHour = describe('sendHour', view, false);
  const popular = view.suggestions.slice(0, 6);
  return html`<form method="post" action="/" novalidate>
<label for="email">Email address</label>
<input type="email" id="email" name="email" ${email.attrs} value="${form.email}" autocomplete="email" inputmode="email" required maxlength="254">
${email.error}
<label for="topics">Topics <span class="hint">(optional)</span></label>
<input type="text" id="topics" name="topics" ${topics.attrs} value="${form.topics}" list="topic-suggestions" autocomplete="off" maxlength="2000">
<datalist id="topic-suggestions">${view.suggestions.map((topic) => html`<option value="${topic}"></option>`)}</datalist>
<p class="hint" id="topics-hint">Separated by commas. Papers that match come first; leave empty for the most discussed papers of the day.${popular.length > 0 ? html` Popular now: <i>${popular.join(', ')}</i>.` : html` For example <i>diffusion, language models</i>.`}</p>
${topics.error}
<fieldset ${cadence.attrs}>
<legend>How often</legend>
<div class="choices">
<label><input type="radio" id="cadence-daily" name="cadence" value="daily"${checked(form.cadence !== 'weekly')}> Every day</label>
<label><input type="radio" id="cadence-weekly" name="cadence" value="weekly"${checked(form.cadence === 'weekly')}> Once a week</label>
</div>
${cadence.error}
</fieldset>
<div class="weekday">
<label for="weekday">Day of the week</label>
<select id="weekday" name="weekday" ${weekday.attrs}>${WEEKDAYS.map(
    (name, index) =>
      html`<option value="${index + 1}"${selected(form.weekday === String(index + 1))}>${name}</option>`,
  )}</select>
<p class="hint" id="weekday-hint">For a weekly digest: the week's best papers, on this day.</p>
${weekday.error}
</div>
<div class="row"><div>
<label for="timezone">Time zone</label>
<input type="text" id="timezone" name="timezone" ${timezone.attrs} value="${form.timezone}" list="time-zones" autocomplete="off" spellcheck="false" required maxlength="64"${new SafeHtml(view.presetTimeZone ? ' data-preset-zone' : '')}>
<datalist id="time-zones">${timeZones.map((zone) => html`<option value="${zone}"></option>`)}</datalist>
<p class="hint" id="timezone-hint">A city or region, e.g. <i>Europe/Berlin</i>.</p>
${timezone.error}
</div><div>
<label for="sendHour">Hour</label>
<select id="sendHour" name="sendHour" ${sendHour.attrs}>${Array.from(
    { length: 24 },
    (_, hour) =>
      html`<option value="${hour}"${selected(form.sendHour === String(hour))}>${hourLabel(hour)}</option>`,
  )}</select>
${sendHour.error}
</div></div>
<button type="submit">Subscribe</button>
<p class="fineprint">One confirmation mail, then nothing until you click it. Every digest has a one-click unsubscribe.</p>
</form>`;
}

function preview(view: FrontDoorView) {
  return html`<section aria-labelledby="today-title">
<h2 id="today-title">Trending today</h2>
${view.papers.length > 0 ? html`<ol class="papers card">${view.papers.map(paperListItem)}</ol>` : html`<p class="card">No papers yet: the first ones arrive with tonight's fetch.</p>`}
<nav class="elsewhere" aria-label="More from paperboy">
<a href="/digests">Past digests</a>
<a href="${view.feeds.atom}">Atom feed</a>
<a href="${view.feeds.json}">JSON feed</a>
<a href="/docs">API docs</a>
</nav>
</section>`;
}

/** The front door: the promise, a sign-up form that works without JavaScript, and today's papers. */
export function frontDoorPage(view: FrontDoorView): string {
  return page(
    'Trending research papers in your inbox',
    html`<header class="hero">
<h1>${PROMISE}</h1>
<p class="lede">The research papers people are talking about, from Hugging Face daily papers and arXiv, matched to your topics and sent at your hour. Daily or weekly, free, and one click to leave.</p>
</header>
<div class="columns">
<section class="card signup" aria-labelledby="signup-title">
<h2 id="signup-title">Subscribe</h2>
${outcomeNotice(view)}
${errorSummary(view.problems)}
${signupForm(view)}
</section>
${preview(view)}
</div>
<script>${new SafeHtml(view.script)}</script>`,
    STYLE,
    {
      indexable: true,
      head: html`<meta name="description" content="${PROMISE}">
<link rel="alternate" type="application/atom+xml" title="paperboy: trending papers (Atom)" href="${view.feeds.atom}">
<link rel="alternate" type="application/feed+json" title="paperboy: trending papers (JSON Feed)" href="${view.feeds.json}">`,
    },
  );
}
