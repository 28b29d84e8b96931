import { buttonMailText } from './button-mail-text.ts';
import { type FooterView, footerView, siteName } from './footer.ts';
import { requireAbsoluteUrl } from './links.ts';
import { loadTemplate } from './template-cache.ts';
import type { Branding, RenderedMail } from './types.ts';

export interface ConfirmationInput {
  confirmUrl: string;
  expiresInHours: number;
}

interface ConfirmationView {
  subject: string;
  preview: string;
  homeUrl: string;
  heading: string;
  intro: string;
  buttonLabel: string;
  expiry: string;
  fallbackLabel: string;
  confirmUrl: string;
  footer: FooterView;
}

function hoursLabel(hours: number): string {
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** The double opt-in mail for one address; rendered per sign-up, so it is filled completely. */
export async function renderConfirmation(
  input: ConfirmationInput,
  branding: Branding,
): Promise<RenderedMail> {
  const confirmUrl = requireAbsoluteUrl(input.confirmUrl, 'confirmUrl');
  const site = siteName(branding);
  const view: ConfirmationView = {
    subject: 'Confirm your paperboy subscription',
    preview: 'One click and the daily digest of trending papers starts.',
    homeUrl: branding.publicBaseUrl,
    heading: 'Confirm your subscription',
    intro: `Someone, hopefully you, asked for the paperboy daily digest of trending research papers at ${site}. Please confirm that this address should receive it.`,
    buttonLabel: 'Confirm subscription',
    expiry: `The link works for ${hoursLabel(input.expiresInHours)}.`,
    fallbackLabel: 'If the button does not work, open this link:',
    confirmUrl,
    footer: footerView(
      branding,
      'If you did not ask for this, ignore this mail: without confirmation you will not hear from us again.',
      { manageUrl: null, unsubscribeUrl: null, viewInBrowserUrl: null },
    ),
  };
  const fill = await loadTemplate<ConfirmationView>('confirmation');
  return { subject: view.subject, html: fill(view), text: buttonMailText(view, confirmUrl) };
}
