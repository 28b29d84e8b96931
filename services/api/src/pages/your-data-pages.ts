import { html } from './html.ts';
import { page } from './layout.ts';

/** The answer to "mail me a data link": the manage link alone never exports or erases. */
export function dataLinkMailedPage(back: string): string {
  return page(
    'We mailed you a link',
    html`<h1>We mailed you a link</h1>
<div class="card"><p>To download or erase your data, open the link in the mail we just sent to your address. It works for one hour.</p>
<p><a href="${back}">Back to your preferences</a></p></div>`,
  );
}

/** Where an old export link or bookmark lands: asking for the link is a button, never a GET. */
export function askForDataLinkPage(action: string): string {
  return page(
    'Your data',
    html`<h1>Your data</h1>
<div class="card"><p>Downloading or erasing your data needs a fresh link, which we mail to your address.</p>
<form method="post" action="${action}"><button type="submit">Mail me a link</button></form></div>`,
  );
}

/** The page a data link opens: download, or erase for good. */
export function yourDataPage(actions: { exportData: string; erase: string }, email: string): string {
  return page(
    'Your data',
    html`<h1>Your data</h1>
<p>For <strong>${email}</strong>. This page works for an hour after we mailed the link.</p>
<div class="card">
<p><a href="${actions.exportData}" download="paperboy-my-data.json">Download everything stored about you</a> (JSON: your settings and which papers were sent when).</p>
<form method="post" action="${actions.erase}">
<p>Erase your subscription and its history for good. Only a one-way hash of your address stays, so we never mail it again unless you sign up anew.</p>
<label><input type="checkbox" name="confirm" value="yes" required style="width:auto"> I want everything erased</label>
<button type="submit" class="secondary">Erase my data</button>
</form>
</div>`,
  );
}
