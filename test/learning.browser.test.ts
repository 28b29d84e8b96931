import { join } from 'node:path';
import { emailHash, findSubscriber } from '@paperboy/db';
import { ARTIFACTS_DIR, launchBrowser } from '@paperboy/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const READER = 'learning.reader@example.org';
const links = (text: string, path: string) =>
  [
    ...text.matchAll(
      new RegExp(`https://paperboy\\.test${path}[A-Za-z0-9_.-]+(?:/\\d+/(?:more|less))?`, 'g'),
    ),
  ].map((match) => match[0]);

let stack: Stack;
let browser: Browser;
let tab: Page;
let digestText: string;
let readerId: string;

/** A reader who got today's digest: every link below comes from that real mail. */
beforeAll(async () => {
  // The digest is planned for 2026-11-30; on any other clock its day would be over (expired).
  stack = await startStack('learning-browser', { env: { CLOCK_START: '2026-11-30T12:00:00Z' } });
  browser = await launchBrowser();
  tab = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  const { rows } = await stack.api.deps.pool.query<{ id: string }>(
    `INSERT INTO subscribers (email, email_hash, status, timezone, send_hour, confirmed_at)
     VALUES ($1, $2, 'active', 'Europe/Berlin', 8, now()) RETURNING id`,
    [READER, emailHash(READER)],
  );
  readerId = rows[0]!.id;
  await stack.plan(new Date('2026-11-30T12:00:00Z'));
  const [digest] = await stack.sink.waitFor(isDigest);
  digestText = digest!.parsed.text ?? '';
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * JavaScript off: votes, cadence and learning must work with plain HTML forms. One tab for the file,
 * resized per page: a new page is a new renderer process, seconds on a busy machine, and the
 * reader's pages keep nothing in the browser (no cookies, no script) that could carry over.
 */
async function open(url: string, width = 390): Promise<Page> {
  await tab.setViewportSize({ width, height: 900 });
  await tab.goto(stack.local(url));
  return tab;
}

describe('voting and the preference centre in a browser', () => {
  it('shows a one-button page for a vote link from the digest, records the vote on the press, and says so', async () => {
    const [moreLink] = links(digestText, '/vote/');
    const page = await open(moreLink!);
    await expect(page.getByRole('heading', { level: 1 })).toBeTruthy();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('More papers like this?');
    expect(await page.getByRole('button').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'vote-page.png'), fullPage: true });
    const before = await stack.api.deps.pool.query('SELECT 1 FROM paper_votes WHERE subscriber_id = $1', [
      readerId,
    ]);
    expect(before.rowCount).toBe(0);

    await page.getByRole('button', { name: 'Yes, more like this' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Noted');
    expect(await page.getByRole('status').textContent()).toContain('more papers like');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'vote-recorded.png'), fullPage: true });
    const after = await stack.api.deps.pool.query(
      'SELECT direction FROM paper_votes WHERE subscriber_id = $1',
      [readerId],
    );
    expect(after.rows).toEqual([{ direction: 1 }]);
  });

  it('shows what was learned in the preference centre, lets the reader go weekly, and resets what was learned', async () => {
    // Two more "more" votes, pressed the same way, so the profile has something to say.
    for (const link of links(digestText, '/vote/')
      .filter((_, index) => index % 2 === 0)
      .slice(1, 3)) {
      const page = await open(link);
      await page.getByRole('button').click();
      await page.waitForLoadState();
    }
    const [manageUrl] = links(digestText, '/manage/');
    const page = await open(manageUrl!, 1280);
    const learned = page.locator('#learning + .card');
    expect(await learned.textContent()).toContain('From 3 "more like this" and 0 "less like this"');
    expect(await learned.locator('ul.terms li').count()).toBeGreaterThan(0);
    await page.locator('#learning').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'learned-terms.png'), fullPage: true });

    await page.getByLabel('Weekly: the week').check();
    await page.getByLabel('Day of a weekly digest').selectOption({ label: 'Friday' });
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.summary').textContent()).toContain('every Friday at 08:00');
    expect(await page.getByLabel('Weekly: the week').isChecked()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cadence-weekly.png'), fullPage: true });
    const reader = await findSubscriber(stack.api.deps.pool, readerId);
    expect(reader).toMatchObject({ cadence: 'weekly', weekday: 5 });

    await page.getByRole('button', { name: 'Reset what was learned' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#learning + .notice').textContent()).toContain('Forgotten');
    const votes = await stack.api.deps.pool.query('SELECT 1 FROM paper_votes WHERE subscriber_id = $1', [
      readerId,
    ]);
    expect(votes.rowCount).toBe(0);
  });

  it('asks for a new address from the preference centre with the same neutral notice', async () => {
    const [manageUrl] = links(digestText, '/manage/');
    const page = await open(manageUrl!);
    await page.getByLabel('New email address').fill('new.home@example.org');
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#address + .notice').textContent()).toContain(
      'If that address can receive mail',
    );
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'address-change-requested.png'), fullPage: true });
  });
});
