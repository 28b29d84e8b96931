import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { findSubscriberByEmail, importPapersJsonl, upsertPapers } from '@paperboy/db';
import { arxivLinks, utcDate } from '@paperboy/papers';
import { ARTIFACTS_DIR, launchBrowser } from '@paperboy/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';
import { storePaper } from './support/papers.ts';

const sample = readFileSync(new URL('../../../data/trending-papers-sample.jsonl', import.meta.url), 'utf8');

let api: TestApi;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  api = await startTestApi('front_door_browser');
  const { port } = api.app.server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  await importPapersJsonl(api.pool, sample);
  await upsertPapers(api.pool, [
    storePaper({
      id: '2511.20001',
      arxivId: '2511.20001',
      title: 'Scaling Diffusion Transformers to Minute-Long Video with Sparse Temporal Attention',
      authors: [
        'Ada Lovelace',
        'Alan Turing',
        'Grace Hopper',
        'Edsger Dijkstra',
        'Barbara Liskov',
        'Donald Knuth',
      ],
      links: { ...arxivLinks('2511.20001'), code: 'https://github.com/example/sparse-video' },
      upvotes: 214,
      comments: 12,
      trendingDate: utcDate(new Date()),
      aiKeywords: ['video generation', 'diffusion transformers'],
      sources: ['huggingface'],
    }),
    storePaper({
      id: '2511.20002',
      arxivId: '2511.20002',
      title: 'Small Language Models Reason Better When They Say Less',
      authors: ['Kurt Gödel', 'Emmy Noether'],
      links: arxivLinks('2511.20002'),
      upvotes: 87,
      comments: 3,
      trendingDate: utcDate(new Date()),
      aiKeywords: ['reasoning', 'language models'],
      sources: ['huggingface'],
    }),
  ]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function open(
  path: string,
  width: number,
  javaScriptEnabled: boolean,
  timezoneId = 'UTC',
): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled,
    viewport: { width, height: 900 },
    timezoneId,
  });
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  return page;
}

async function fitsWidth(page: Page): Promise<boolean> {
  // Evaluated by the test harness even with the page's own JavaScript off.
  return page.evaluate<boolean>(
    'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
  );
}

const focusedId = (page: Page) =>
  page.evaluate<string>(
    'document.activeElement && document.activeElement.id || document.activeElement.tagName',
  );

describe('the front door in a real browser', () => {
  it('presets the time zone from the browser and fits a phone', async () => {
    const page = await open('/', 375, true, 'Asia/Tokyo');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Get trending papers in your email inbox once a day!',
    );
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS_DIR}front-door-375.png`, fullPage: true });
    await page.context().close();
  });

  it('signs up with the keyboard alone on a desktop: weekly on Friday, the browser’s zone kept', async () => {
    const page = await open('/', 1280, true, 'America/New_York');
    await page.screenshot({ path: `${ARTIFACTS_DIR}front-door-1280.png`, fullPage: true });
    for (let presses = 0; presses < 10 && (await focusedId(page)) !== 'email'; presses += 1)
      await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('email');
    await page.keyboard.type('keyboard.reader@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type('reasoning, robotics');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('cadence-daily');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('weekday');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    for (let presses = 0; presses < 6 && (await focusedId(page)) !== 'BUTTON'; presses += 1)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Check your inbox');
    await page.screenshot({ path: `${ARTIFACTS_DIR}front-door-done-1280.png`, fullPage: true });
    expect(await fitsWidth(page)).toBe(true);
    const { rows } = await api.pool.query(
      "SELECT topics, timezone, cadence, weekday, status FROM subscribers WHERE email = 'keyboard.reader@example.org'",
    );
    expect(rows).toEqual([
      {
        topics: ['reasoning', 'robotics'],
        timezone: 'America/New_York',
        cadence: 'weekly',
        weekday: 6,
        status: 'pending',
      },
    ]);
    await page.context().close();
  });

  it('works with JavaScript off: bad input comes back beside the field, then the fixed form signs up', async () => {
    const page = await open('/', 375, false);
    expect(await page.getByLabel('Time zone').inputValue()).toBe('UTC');
    await page.getByLabel('Email address').fill('no-at-sign.example.org');
    await page.getByLabel('Topics').fill('diffusion');
    await page.getByLabel('Time zone').fill('Atlantis/Capital');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Please fix these to subscribe');
    const email = page.getByLabel('Email address');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.inputValue()).toBe('no-at-sign.example.org');
    expect(await page.locator('#email-error').textContent()).toContain('like name@example.org');
    expect(await page.getByLabel('Time zone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Topics').inputValue()).toBe('diffusion');
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS_DIR}front-door-errors-375.png`, fullPage: true });

    await email.fill('no.js@example.org');
    await page.getByLabel('Time zone').fill('Europe/Lisbon');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Check your inbox');
    expect(await findSubscriberByEmail(api.pool, 'no.js@example.org')).toMatchObject({
      status: 'pending',
      topics: ['diffusion'],
      timezone: 'Europe/Lisbon',
    });
    await page.screenshot({ path: `${ARTIFACTS_DIR}front-door-done-375.png`, fullPage: true });
    await page.context().close();
  });

  it('opens paperboy’s own page of a paper with no link elsewhere, from the preview', async () => {
    const page = await open('/', 375, false);
    const ownPage = page.locator('a[href^="/papers/t-"]').first();
    const title = (await ownPage.textContent()) ?? '';
    await ownPage.click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    expect(await page.getByRole('heading', { name: 'Abstract' }).isVisible()).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS_DIR}paper-page-375.png`, fullPage: true });
    await page.context().close();
  });
});
