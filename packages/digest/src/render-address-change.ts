import { buttonMailText } from './button-mail-text.ts';
import { cleanText } from './clean-text.ts';
import { type FooterView, footerText, footerView, siteName } from './footer.ts';
import { requireAbsoluteUrl } from './links.ts';
import { loadTemplate } from './template-cache.ts';
import type { Branding, RenderedMail } from './types.ts';
import { wrapText } from './wrap.ts';

/*
 * The two mails of a change of address: the link that proves the new address is the reader's,
 * and afterwards a notice to the old one, so a change made with a stolen link does not go unseen.
 * Each is for one person, so both are filled completely.
 */

interface ConfirmView {
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

interface NoticeView {
  subject: string;
  preview: string;
  homeUrl: string;
  heading: string;
  paragraphs: string[];
  footer: FooterView;
}

/** "a…@example.org": enough for the owner to recognise, not enough to hand out the address. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '…';
  return `${email[0]}…${email.slice(at)}`;
}

export interface AddressConfirmationInput {
  confirmUrl: string;
  newEmail: string;
  expiresInHours: number;
}

export async function renderAddressConfirmation(
  input: AddressConfirmationInput,
  branding: Branding,
): Promise<RenderedMail> {
  const confirmUrl = requireAbsoluteUrl(input.confirmUrl, 'confirmUrl');
  const view: ConfirmView = {
    subject: 'Confirm your new address for paperboy',
    preview: 'One click and your paperboy digests come to this address.',
    homeUrl: branding.publicBaseUrl,
    heading: 'Confirm your new address',
    intro: `A paperboy reader at ${siteName(branding)} asked for their digests to go to ${cleanText(input.newEmail)} from now on. Please confirm that this is your address.`,
    buttonLabel: 'Use this address',
    expiry: `The link works for ${input.expiresInHours === 1 ? '1 hour' : `${input.expiresInHours} hours`}.`,
    fallbackLabel: 'If the button does not work, open this link:',
    confirmUrl,
    footer: footerView(
      branding,
      'If you did not ask for this, ignore this mail: nothing changes without your click.',
      { manageUrl: null, unsubscribeUrl: null, viewInBrowserUrl: null },
    ),
  };
  const fill = await loadTemplate<ConfirmView>('confirmation');
  return { subject: view.subject, html: fill(view), text: buttonMailText(view, confirmUrl) };
}

export async function renderAddressNotice(
  input: { newEmail: string },
  branding: Branding,
): Promise<RenderedMail> {
  const masked = cleanText(maskAddress(input.newEmail));
  const view: NoticeView = {
    subject: 'Your paperboy digests now go to another address',
    preview: `Your digests now go to ${masked}.`,
    homeUrl: branding.publicBaseUrl,
    heading: 'Your address was changed',
    paragraphs: [
      `Your paperboy digests from ${siteName(branding)} now go to ${masked}; the change was confirmed from that address. This address gets no more digests.`,
      'If you did not make this change, someone had a link from one of your digests. Sign up again with this address to get your digests back here, and ask the new address’s owner to unsubscribe.',
    ],
    footer: footerView(branding, 'This is a one-time notice about your subscription.', {
      manageUrl: null,
      unsubscribeUrl: null,
      viewInBrowserUrl: null,
    }),
  };
  const fill = await loadTemplate<NoticeView>('notice');
  const text = [
    view.heading,
    '='.repeat(view.heading.length),
    '',
    ...view.paragraphs.flatMap((paragraph) => [...wrapText(paragraph, 72), '']),
    ...footerText(view.footer),
  ];
  return { subject: view.subject, html: fill(view), text: `${text.join('\n')}\n` };
}
