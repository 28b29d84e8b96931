import { emailHash } from '@paperboy/db';
import { mjmlCompileCount } from '@paperboy/digest';
import { ARTIFACTS_DIR, launchBrowser } from '@paperboy/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.ts';

const PROFILES = [['diffusion'], ['reinforcement learning'], []] as const;
const READERS = 1_000;

describe('editions: shared renders, view in browser, archive', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // Composing is what is measured here; the mailer would only add 1,000 SMTP round trips.
    stack = await startStack('editions', { mailer: false, env: { WORKER_CONCURRENCY: '8' } });
    browser = await launchBrowser();
    const emails = Array.from({ length: READERS }, (_, index) => `reader${index}@example.org`);
    await stack.api.deps.pool.query(
      `INSERT INTO subscribers (email, email_hash, status, topics)
       SELECT email, hash, 'active', ARRAY(SELECT jsonb_array_elements_text(topics))
       FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(email, hash, topics)`,
      [
        emails,
        emails.map(emailHash),
        emails.map((_, index) => JSON.stringify(PROFILES[index % PROFILES.length])),
      ],
    );
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('renders three editions for 1,000 readers in three topic profiles, compiling MJML at most once', async () => {
    const compilesBefore = mjmlCompileCount();
    expect(await stack.plan(new Date(), true)).toEqual({
      planned: READERS,
      requeued: 0,
      expired: 0,
      uncertain: 0,
    });
    const pool = stack.api.deps.pool;
    for (let waited = 0; waited < 120_000; waited += 250) {
      const { rows } = await pool.query<{ left: number }>(
        "SELECT count(*)::int AS left FROM deliveries WHERE status = 'planned'",
      );
      if (rows[0]!.left === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { rows } = await pool.query<{ status: string; editions: number; deliveries: number }>(
      'SELECT status, count(DISTINCT edition_id)::int AS editions, count(*)::int AS deliveries FROM deliveries GROUP BY status',
    );
    expect(rows).toEqual([{ status: 'composed', editions: 3, deliveries: READERS }]);
    expect((await pool.query('SELECT id FROM digest_editions')).rowCount).toBe(3);
    expect(mjmlCompileCount() - compilesBefore).toBeLessThanOrEqual(1);
    const rendered = await stack.workers[0]!.deps.metrics.editionsRendered.get();
    expect(rendered.values[0]?.value).toBe(3);
  });

  it('serves each edition as a web page with no personal data, and lists them in the archive', async () => {
    const { rows } = await stack.api.deps.pool.query<{ id: string }>(
      'SELECT id FROM digest_editions ORDER BY id',
    );
    const archive = await fetch(`${stack.api.address}/digests`);
    const archiveHtml = await archive.text();
    for (const { id } of rows) expect(archiveHtml).toContain(`/digests/${id}`);

    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${stack.api.address}/digests/${rows[0]!.id}`);
    const hrefs = await page.$$eval('a[href]', (links) =>
      links.map((link) => link.getAttribute('href') ?? ''),
    );
    expect(hrefs.length).toBeGreaterThan(5);
    expect(hrefs.filter((href) => /\/(u|manage|confirm)\//.test(href))).toEqual([]);
    expect(await page.content()).not.toMatch(/reader\d+@example\.org|%%PB_/);
    expect(await page.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${ARTIFACTS_DIR}view-in-browser-375.png`, fullPage: true });
    await page.close();

    expect((await fetch(`${stack.api.address}/digests/ffffffffffffffff`)).status).toBe(404);
    expect((await fetch(`${stack.api.address}/digests/not-an-id`)).status).toBe(400);
  });
});
