import { type FooterView, footerText } from './footer.ts';
import { wrapText } from './wrap.ts';

/** What the plain-text part of a one-button mail (confirm, data link, new address) says. */
export interface ButtonMailWords {
  heading: string;
  intro: string;
  buttonLabel: string;
  expiry: string;
  footer: FooterView;
}

/** The plain-text twin of a one-button mail: heading, the words, the button as a labelled link. */
export function buttonMailText(view: ButtonMailWords, url: string): string {
  const lines = [
    view.heading,
    '='.repeat(view.heading.length),
    '',
    ...wrapText(view.intro, 72),
    '',
    `${view.buttonLabel}: ${url}`,
    '',
    view.expiry,
    '',
    ...footerText(view.footer),
  ];
  return `${lines.join('\n')}\n`;
}
