import { cleanText } from './clean-text.ts';
import { type FooterView, footerText, footerView, siteName } from './footer.ts';
import { requireAbsoluteUrl } from './links.ts';
import { loadTemplate } from './template-cache.ts';
import type { Branding, RenderedMail } from './types.ts';
import { wrapText } from './wrap.ts';

export interface WelcomeInput {
  manageUrl: string;
  unsubscribeUrl: string;
  /** The reader's local hour for the digest, 0–23. */
  sendHour: number;
  /** IANA time zone, e.g. "Europe/Berlin". */
  timezone: string;
  topics: string[];
}

interface WelcomeView {
  subject: string;
  preview: string;
  homeUrl: string;
  heading: string;
  paragraphs: string[];
  buttonLabel: string;
  manageUrl: string;
  footer: FooterView;
}

function hourLabel(hour: number): string {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23)
    throw new RangeError(`sendHour must be 0–23, got ${hour}`);
  return `${String(hour).padStart(2, '0')}:00`;
}

/** The mail that follows a confirmed sign-up; per reader, so it is filled completely. */
export async function renderWelcome(input: WelcomeInput, branding: Branding): Promise<RenderedMail> {
  const manageUrl = requireAbsoluteUrl(input.manageUrl, 'manageUrl');
  const unsubscribeUrl = requireAbsoluteUrl(input.unsubscribeUrl, 'unsubscribeUrl');
  const time = `${hourLabel(input.sendHour)} (${cleanText(input.timezone)})`;
  const topics = input.topics.map(cleanText).filter((topic) => topic.length > 0);
  const view: WelcomeView = {
    subject: `Welcome to paperboy: your digest arrives daily at ${hourLabel(input.sendHour)}`,
    preview: `Trending research papers, every day at ${time}.`,
    homeUrl: branding.publicBaseUrl,
    heading: 'You are subscribed',
    paragraphs: [
      `Your first digest of trending research papers arrives at ${time}, and then every day at that hour.`,
      topics.length > 0
        ? `Your topics: ${topics.join(', ')}. Papers that match them come first.`
        : 'You chose no topics, so you get the day’s most discussed papers overall.',
      'You can change the hour, the time zone and your topics at any time.',
    ],
    buttonLabel: 'Manage preferences',
    manageUrl,
    footer: footerView(
      branding,
      `You get this mail because you subscribed to the paperboy daily digest at ${siteName(branding)}.`,
      { manageUrl, unsubscribeUrl, viewInBrowserUrl: null },
    ),
  };
  const fill = await loadTemplate<WelcomeView>('welcome');
  const text = [
    view.heading,
    '='.repeat(view.heading.length),
    '',
    ...view.paragraphs.flatMap((paragraph) => [...wrapText(paragraph, 72), '']),
    ...footerText(view.footer),
  ];
  return { subject: view.subject, html: fill(view), text: `${text.join('\n')}\n` };
}
