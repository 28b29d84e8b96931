import { findSubscriber, findSubscriberByEmail } from '@paperboy/db';
import { ARTIFACTS_DIR, launchBrowser } from '@paperboy/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation, isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const ARTIFACTS = ARTIFACTS_DIR;
const READER = 'browser.reader@example.org';

let stack: Stack;
let browser: Browser;
let tab: Page;
let manageUrl: string;
let unsubscribeUrl: string;

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https://paperboy\\.test${path}[A-Za-z0-9_.-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}

/** A reader who signed up, confirmed from the mail, and got today's digest: their links come from it. */
beforeAll(async () => {
  // The process clock on the planned day: a digest whose local day has passed is expired, not sent.
  stack = await startStack('browser', { env: { CLOCK_START: '2026-11-30T12:00:00Z' } });
  browser = await launchBrowser();
  tab = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await fetch(`${stack.api.address}/v1/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: READER, topics: ['diffusion'], timezone: 'Europe/Berlin', sendHour: 8 }),
  });
  const [confirmation] = await stack.sink.waitFor(
    (mail) => mail.envelopeTo.includes(READER) && isConfirmation(mail),
  );
  await fetch(stack.local(linkIn(confirmation!.parsed.text ?? '', '/confirm/')), { method: 'POST' });
  await stack.plan(new Date('2026-11-30T12:00:00Z'));
  const [digest] = await stack.sink.waitFor(isDigest);
  manageUrl = linkIn(String(digest!.parsed.html), '/manage/');
  unsubscribeUrl = linkIn(digest!.header('list-unsubscribe') ?? '', '/u/');
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * A page with JavaScript off: everything must work with plain HTML forms. One tab for the file,
 * resized per page: a new page is a new renderer process, seconds on a busy machine, and a reader's
 * pages keep nothing in the browser (no cookies, no script) that could carry over.
 */
async function open(url: string, width: number): Promise<Page> {
  await tab.setViewportSize({ width, height: 900 });
  await tab.goto(stack.local(url));
  return tab;
}

async function fitsWidth(page: Page): Promise<boolean> {
  // Evaluated by the test harness even with the page's own JavaScript off.
  return page.evaluate<boolean>(
    'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
  );
}

describe('the preference centre in a real browser, from a real digest', () => {
  it('changes topics, time zone and hour on a phone; reloading shows them stored', async () => {
    const page = await open(manageUrl, 375);
    expect(await page.title()).toContain('preferences');
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}manage-375.png`, fullPage: true });

    await page.getByLabel('Send hour').selectOption('18');
    await page.getByLabel('Time zone').fill('Asia/Tokyo');
    await page.getByLabel('Topics').fill('protein folding, robotics');
    // Enter in a text field submits the form: the page is keyboard-operable without a mouse.
    await page.getByLabel('Topics').press('Enter');
    await page.waitForURL(/\?saved=1$/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved.');

    await page.reload();
    expect(await page.getByLabel('Topics').inputValue()).toBe('protein folding, robotics');
    expect(await page.getByLabel('Send hour').inputValue()).toBe('18');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    await page.screenshot({ path: `${ARTIFACTS}manage-saved-375.png`, fullPage: true });
    expect(await findSubscriberByEmail(stack.api.deps.pool, READER)).toMatchObject({
      topics: ['protein folding', 'robotics'],
      sendHour: 18,
      timezone: 'Asia/Tokyo',
    });
  });

  it('shows what to fix next to the field on a desktop, and saves nothing', async () => {
    const page = await open(manageUrl, 1280);
    await page.screenshot({ path: `${ARTIFACTS}manage-1280.png`, fullPage: true });
    const before = await findSubscriberByEmail(stack.api.deps.pool, READER);
    await page.getByLabel('Time zone').fill('Moon/Base');
    await page.getByLabel('Papers per digest').fill('40');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Nothing was saved');
    expect(await page.getByLabel('Time zone').getAttribute('aria-invalid')).toBe('true');
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}manage-errors-1280.png`, fullPage: true });
    expect(await findSubscriber(stack.api.deps.pool, before!.id)).toEqual(before);
  });

  it('unsubscribes from the page behind the mail’s unsubscribe link, by keyboard', async () => {
    const page = await open(unsubscribeUrl, 375);
    await page.screenshot({ path: `${ARTIFACTS}unsubscribe-375.png`, fullPage: true });
    const reader = await findSubscriberByEmail(stack.api.deps.pool, READER);
    expect(reader?.status).toBe('active');
    await page.getByRole('button', { name: 'Unsubscribe' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toContain('unsubscribed');
    await page.screenshot({ path: `${ARTIFACTS}unsubscribed-375.png`, fullPage: true });
    expect((await findSubscriber(stack.api.deps.pool, reader!.id))?.status).toBe('unsubscribed');

    const after = await open(manageUrl, 1280);
    expect(await after.locator('h1').textContent()).toContain('unsubscribed');
    await after.screenshot({ path: `${ARTIFACTS}manage-unsubscribed-1280.png`, fullPage: true });
  });
});
