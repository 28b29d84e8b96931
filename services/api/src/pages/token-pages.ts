import { html } from './html.ts';
import { page } from './layout.ts';

export function invalidLinkPage(): string {
  return page(
    'This link does not work',
    html`<h1>This link does not work</h1>
<div class="card"><p>It may have expired, been replaced by a newer one, or been copied incompletely.</p>
<p class="muted">Sign up again to get a fresh confirmation link, or use the newest link from your latest digest.</p></div>`,
  );
}

export function confirmPage(action: string): string {
  return page(
    'Confirm your subscription',
    html`<h1>Confirm your subscription</h1>
<div class="card"><p>One click and the day's trending research papers arrive in your inbox once a day.</p>
<form method="post" action="${action}"><button type="submit">Yes, send me the daily digest</button></form></div>
<p class="muted">Didn't sign up? Ignore this page and the mail: nothing will be sent.</p>`,
  );
}

export function confirmedPage(manageUrl: string): string {
  return page(
    'You are subscribed',
    html`<h1>You're subscribed</h1>
<div class="card"><p>Your first digest arrives at your chosen hour. Every digest has a link to change topics, time and number of papers, and a one-click unsubscribe.</p>
<p><a href="${manageUrl}">Manage your preferences</a></p></div>`,
  );
}

export function unsubscribePage(action: string): string {
  return page(
    'Unsubscribe',
    html`<h1>Unsubscribe from paperboy?</h1>
<div class="card"><p>You will get no more digests. You can sign up again at any time.</p>
<form method="post" action="${action}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form></div>`,
  );
}

export function unsubscribedPage(): string {
  return page(
    'Unsubscribed',
    html`<h1>You're unsubscribed</h1>
<div class="card"><p>No more digests will be sent to you. Sorry to see you go.</p></div>`,
  );
}

/** An unsubscribe or erase link of a reader who erased their data: nothing is left to do. */
export function alreadyGonePage(): string {
  return page(
    'Nothing left to do',
    html`<h1>You will not hear from us</h1>
<div class="card"><p>This subscription and its data were erased already. Only a one-way hash of the address stays, so it is not mailed again unless someone signs it up anew and confirms.</p></div>`,
  );
}
