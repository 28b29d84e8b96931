import { html } from './html.ts';
import { page } from './layout.ts';

/** What the confirmation link opens: the new address and one button. Opening it changes nothing. */
export function addressConfirmPage(action: string, newEmail: string): string {
  return page(
    'Confirm your new address',
    html`<h1>Use this address for paperboy?</h1>
<div class="card"><p>Your digests will go to <strong>${newEmail}</strong> from now on, and no longer to your old address.</p>
<form method="post" action="${action}"><button type="submit">Yes, use this address</button></form></div>
<p class="muted">Didn't ask for this? Close this page: nothing changes.</p>`,
  );
}

export function addressChangedPage(email: string, manageUrl: string): string {
  return page(
    'Address changed',
    html`<h1>Your address is changed</h1>
<div class="card" role="status"><p>Your digests now go to <strong>${email}</strong>. We told your old address about the change.</p>
<p>Links in earlier mails no longer work. Keep this link to your preferences: <a href="${manageUrl}">Manage your preferences</a></p></div>`,
  );
}
