import { ARTIFACTS_DIR, launchBrowser } from '@paperboy/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  personalise,
  type RenderedMail,
  renderConfirmation,
  renderEdition,
  renderWelcome,
} from '../src/index.ts';
import { branding, fixedEdition, makePaper, personalLinks } from './fixtures.ts';
import { READABILITY_PROBLEMS, SCROLL_WIDTH, UNSUBSCRIBE_DISPLAY } from './page-checks.ts';

const ARTIFACTS = ARTIFACTS_DIR;
const WIDTHS = [375, 1200] as const;

/** The fixed edition plus a paper made to break layouts: unbreakable words and long URLs. */
const stressPaper = makePaper({
  id: 'stress',
  title: `Unbreakable ${'Supercalifragilistic'.repeat(5)} Title`,
  abstract: `A token ${'x'.repeat(120)} that never wraps. See https://example.org/${'path/'.repeat(30)} for more.`,
  links: { abstract: `https://arxiv.org/abs/${'9'.repeat(120)}`, code: 'https://github.com/a/b' },
});

let browser: Browser;
let page: Page;
let digest: RenderedMail;
let confirmation: RenderedMail;
let welcome: RenderedMail;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  const edition = { ...fixedEdition, papers: [...fixedEdition.papers, stressPaper] };
  digest = personalise(await renderEdition(edition, branding), personalLinks);
  confirmation = await renderConfirmation(
    { confirmUrl: 'https://paperboy.example.org/c/tok?sig=abc&x=1', expiresInHours: 48 },
    branding,
  );
  welcome = await renderWelcome(
    {
      manageUrl: personalLinks.manageUrl,
      unsubscribeUrl: personalLinks.unsubscribeUrl,
      sendHour: 7,
      timezone: 'Europe/Berlin',
      topics: ['diffusion', 'language models'],
    },
    branding,
  );
});

afterAll(async () => {
  await browser?.close();
});

/**
 * One page for the whole file, resized and re-filled for each mail: a new page is a new renderer
 * process, seconds on a busy machine, and these mails hold no script or state to carry over.
 */
async function open(html: string, width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme });
  // The mails contain no images or remote resources, so nothing is fetched.
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

const mails = (): Array<[string, RenderedMail]> => [
  ['digest', digest],
  ['confirmation', confirmation],
  ['welcome', welcome],
];

describe('mails in headless Chromium', () => {
  for (const width of WIDTHS) {
    it(`digest at ${width}px: no sideways scrolling, absolute links, visible unsubscribe`, async () => {
      const page = await open(digest.html, width);
      expect(await page.evaluate<number>(SCROLL_WIDTH)).toBeLessThanOrEqual(width);

      const hrefs = await page
        .locator('a[href]')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs.length).toBeGreaterThan(10);
      for (const href of hrefs) {
        expect(href?.startsWith('https://') || href?.startsWith(branding.publicBaseUrl), String(href)).toBe(
          true,
        );
      }

      const unsubscribe = page.getByRole('link', { name: 'Unsubscribe', exact: true });
      expect(await unsubscribe.getAttribute('href')).toBe(personalLinks.unsubscribeUrl);
      expect(await unsubscribe.isVisible()).toBe(true);
      expect(await unsubscribe.boundingBox()).not.toBeNull();
      expect(await page.evaluate<string>(UNSUBSCRIBE_DISPLAY)).not.toBe('none');

      await page.screenshot({ path: `${ARTIFACTS}digest-${width}.png`, fullPage: true });
    });
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`every mail is readable in ${colorScheme} mode: no low-contrast or tiny text`, async () => {
      for (const [name, mail] of mails()) {
        const page = await open(mail.html, 375, colorScheme);
        expect(await page.evaluate<string[]>(READABILITY_PROBLEMS), name).toEqual([]);
        if (colorScheme === 'dark' || name !== 'digest') {
          await page.screenshot({ path: `${ARTIFACTS}${name}-375-${colorScheme}.png`, fullPage: true });
        }
      }
    });
  }

  it('confirmation and welcome fit a phone too', async () => {
    for (const [name, mail] of mails().slice(1)) {
      const page = await open(mail.html, 375);
      expect(await page.evaluate<number>(SCROLL_WIDTH), name).toBeLessThanOrEqual(375);
    }
  });
});
