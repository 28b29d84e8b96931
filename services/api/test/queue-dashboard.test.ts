import type { AddressInfo } from 'node:net';
import { ARTIFACTS_DIR, launchBrowser } from '@paperboy/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './support/api-harness.ts';

const QUEUES = ['digest', 'email', 'ingest'];

describe('the queue dashboard at /admin/queues', () => {
  let api: TestApi;
  let browser: Browser | undefined;
  beforeAll(async () => {
    api = await startTestApi('dashboard');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    api.app.inject({ method: 'GET', url, headers });

  it('answers 401 without the admin key, to a script and to a browser (which gets the sign-in form)', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const script = await get(url);
      expect(script.statusCode).toBe(401);
      expect(script.json()).toEqual({
        error: 'unauthorized',
        message: 'the queue dashboard needs Authorization: Bearer <ADMIN_TOKEN> or a sign-in',
      });
      const wrongKey = await get(url, { authorization: 'Bearer not-the-admin-key-at-all' });
      expect(wrongKey.statusCode).toBe(401);
    }
    const page = await get('/admin/queues', { accept: 'text/html' });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('<form method="post" action="/admin/login">');
    const forged = await get('/admin/queues/api/queues', { cookie: 'paperboy_admin=9999999999.forged' });
    expect(forged.statusCode).toBe(401);
  });

  it('with the key, serves the dashboard page and its API lists every queue', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const page = await get('/admin/queues', admin);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<base href="/admin/queues/"');
    const listed = await get('/admin/queues/api/queues', admin);
    expect(listed.statusCode).toBe(200);
    const names = (listed.json() as { queues: { name: string }[] }).queues.map((queue) => queue.name);
    expect(names.sort()).toEqual(QUEUES);
  });

  it('refuses a wrong key at sign-in, and the form sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const wrong = await api.app.inject({
      method: 'POST',
      url: '/admin/login',
      payload: { key: 'guess' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const right = await api.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `key=${encodeURIComponent(ADMIN_TOKEN)}`,
    });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/admin/queues');
    const cookie = String(right.headers['set-cookie']);
    expect(cookie).toMatch(/^paperboy_admin=\d{10}\.[\w-]{43}; Max-Age=28800; Path=\/admin; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Strict');
    const listed = await get('/admin/queues/api/queues', { cookie: cookie.split(';')[0]! });
    expect(listed.statusCode).toBe(200);
    const empty = await api.app.inject({ method: 'POST', url: '/admin/login', payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ error: 'bad_request', message: "body must have required property 'key'" });
  });

  it('lets an operator sign in with a browser and see every queue on the dashboard', async () => {
    await api.pool.query('SELECT 1');
    const port = (api.app.server.address() as AddressInfo).port;
    browser = await launchBrowser();
    const page = await browser.newPage();
    const origin = `http://127.0.0.1:${port}`;
    const signIn = await page.goto(`${origin}/admin/queues`);
    expect(signIn?.status()).toBe(401);
    await page.fill('input[name="key"]', ADMIN_TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${origin}/admin/queues`);
    for (const name of QUEUES)
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS_DIR}queue-dashboard.png`, fullPage: true });
  }, 120_000);
});
