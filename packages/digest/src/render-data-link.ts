import { buttonMailText } from './button-mail-text.ts';
import { type FooterView, footerView, siteName } from './footer.ts';
import { requireAbsoluteUrl } from './links.ts';
import { loadTemplate } from './template-cache.ts';
import type { Branding, RenderedMail } from './types.ts';

export interface DataLinkInput {
  /** The one-hour link to the page where the reader downloads or erases their data. */
  dataUrl: string;
  expiresInMinutes: number;
}

interface DataLinkView {
  subject: string;
  preview: string;
  homeUrl: string;
  heading: string;
  intro: string;
  buttonLabel: string;
  expiry: string;
  fallbackLabel: string;
  dataUrl: string;
  footer: FooterView;
}

/**
 * "Your data link": mailed when a reader asks to export or erase their data, so the manage link in
 * every digest is never itself enough to take or destroy their data.
 */
export async function renderDataLink(input: DataLinkInput, branding: Branding): Promise<RenderedMail> {
  const dataUrl = requireAbsoluteUrl(input.dataUrl, 'dataUrl');
  const minutes = input.expiresInMinutes;
  const view: DataLinkView = {
    subject: 'Your paperboy data link',
    preview: 'Download or erase what paperboy stores about you.',
    homeUrl: branding.publicBaseUrl,
    heading: 'Your data link',
    intro: `You asked for a link to download or erase what paperboy stores about you at ${siteName(branding)}. It opens a page with both choices; nothing happens until you press a button there.`,
    buttonLabel: 'Open my data page',
    expiry: `The link works for ${minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`}, once or many times.`,
    fallbackLabel: 'If the button does not work, open this link:',
    dataUrl,
    footer: footerView(
      branding,
      'You get this mail because someone with the preference link from your digests asked for it. If it was not you, ignore this mail, and sign out all links from your preferences.',
      { manageUrl: null, unsubscribeUrl: null, viewInBrowserUrl: null },
    ),
  };
  const fill = await loadTemplate<DataLinkView>('data-link');
  return { subject: view.subject, html: fill(view), text: buttonMailText(view, dataUrl) };
}
