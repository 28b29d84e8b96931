import { html } from './html.ts';
import { page } from './layout.ts';

export function erasedPage(): string {
  return page(
    'Your data is erased',
    html`<h1>Your data is erased</h1>
<div class="card"><p>Your subscription, your settings and the record of what we sent you are gone. Only a one-way hash of your address stays, so it is never mailed again unless you sign up anew.</p></div>`,
  );
}

export function eraseNotConfirmedPage(back: string): string {
  return page(
    'Nothing was erased',
    html`<h1>Nothing was erased</h1>
<div class="card"><p>To erase your data, tick "I want everything erased" before pressing the button.</p>
<p><a href="${back}">Go back</a></p></div>`,
  );
}

export function linksRevokedPage(manageUrl: string): string {
  return page(
    'All links signed out',
    html`<h1>All links signed out</h1>
<div class="card"><p>Every link we sent you before, in digests and other mails, no longer works, except the unsubscribe links: those keep working for as long as the mail can be read. Your next digest brings new ones.</p>
<p>Keep this new link to your preferences: <a href="${manageUrl}">Manage your preferences</a></p></div>`,
  );
}
