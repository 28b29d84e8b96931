import { findSubscriber } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('manage_page');
});
afterAll(async () => {
  await api?.close();
});

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (url: string, fields: Record<string, string>) =>
  api.app.inject({ method: 'POST', url, headers: form, payload: new URLSearchParams(fields).toString() });

describe('the preference centre page', () => {
  it('is a labelled form that works without JavaScript, never cached', async () => {
    const reader = await api.seed('page@example.org', 'active', {
      topics: ['vision', 'robots'],
      sendHour: 6,
    });
    const response = await api.app.inject({ url: `/manage/${api.token(reader, 'manage')}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const page = response.body;
    expect(page).not.toContain('<script');
    for (const field of ['topics', 'timezone', 'sendHour', 'paperCount', 'pauseDays']) {
      expect(page).toContain(`<label for="${field}">`);
      expect(page).toMatch(new RegExp(`id="${field}" name="${field}"`));
    }
    expect(page).toContain('value="vision, robots"');
    expect(page).toContain('<option value="6" selected>06:00</option>');
    expect(page).toContain('list="time-zones"');
    expect(page).toContain('<option value="Europe/Berlin"></option>');
    expect(page).toMatch(/<form method="post" action="\/u\/[^"]+" class="card">/);
    expect(page).toContain('page@example.org');
  });

  it('escapes what readers typed', async () => {
    const reader = await api.seed('xss@example.org', 'active', { topics: ['<script>alert(1)</script>'] });
    const page = (await api.app.inject({ url: `/manage/${api.token(reader, 'manage')}` })).body;
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('saves the form and comes back with a saved notice (post, redirect, get)', async () => {
    const reader = await api.seed('save@example.org');
    const token = api.token(reader, 'manage');
    const saved = await post(`/manage/${token}`, {
      topics: 'protein folding, ,  Protein Folding ; RL',
      timezone: 'Pacific/Auckland',
      sendHour: '21',
      paperCount: '4',
      pauseDays: '',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/manage/${token}?saved=1`);
    expect(await findSubscriber(api.pool, reader.id)).toMatchObject({
      topics: ['protein folding', 'RL'],
      timezone: 'Pacific/Auckland',
      sendHour: 21,
      paperCount: 4,
      pausedUntil: null,
    });
    const page = (await api.app.inject({ url: saved.headers.location as string })).body;
    expect(page).toContain('role="status">Saved.');
    expect(page).toContain('<option value="21" selected>21:00</option>');
  });

  it('shows what to fix next to the field, keeps what was typed, and saves nothing', async () => {
    const reader = await api.seed('fix@example.org');
    const response = await post(`/manage/${api.token(reader, 'manage')}`, {
      topics: 'kept topic',
      timezone: 'Moon/Base',
      sendHour: '7',
      paperCount: '99',
    });
    expect(response.statusCode).toBe(400);
    const page = response.body;
    expect(page).toContain('role="alert"');
    expect(page).toContain('<a href="#timezone">');
    expect(page).toContain('aria-describedby="timezone-hint timezone-error" aria-invalid="true"');
    expect(page).toContain('id="paperCount-error"');
    expect(page).toContain('value="Moon/Base"');
    expect(page).toContain('value="kept topic"');
    expect(await findSubscriber(api.pool, reader.id)).toEqual(reader);
  });

  it('pauses from the form and says until when', async () => {
    const reader = await api.seed('holiday@example.org');
    const token = api.token(reader, 'manage');
    expect((await post(`/manage/${token}`, { pauseDays: '14' })).statusCode).toBe(303);
    const stored = await findSubscriber(api.pool, reader.id);
    expect(stored!.pausedUntil!.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    const page = (await api.app.inject({ url: `/manage/${token}` })).body;
    expect(page).toContain('Paused until');
    expect(page).toContain('<option value="0">Resume now</option>');
  });

  it('answers 400 with the broken-link page to forged, wrong-purpose and revoked tokens', async () => {
    const reader = await api.seed('links@example.org');
    const tokens = [
      'not-a-token',
      `${api.token(reader, 'manage').slice(0, -3)}abc`,
      api.token(reader, 'unsubscribe'),
      api.token({ ...reader, tokenVersion: 99 }, 'manage'),
    ];
    for (const token of tokens) {
      const get = await api.app.inject({ url: `/manage/${token}` });
      expect(get.statusCode).toBe(400);
      expect(get.body).toContain('This link does not work');
      const save = await post(`/manage/${token}`, { sendHour: '3' });
      expect(save.statusCode).toBe(400);
    }
    expect(await findSubscriber(api.pool, reader.id)).toEqual(reader);
  });

  it('shows a reader who left that they are unsubscribed, and saves nothing for them', async () => {
    const reader = await api.seed('left@example.org', 'unsubscribed');
    const token = api.token(reader, 'manage');
    expect((await api.app.inject({ url: `/manage/${token}` })).body).toContain("You're unsubscribed");
    const save = await post(`/manage/${token}`, { sendHour: '3' });
    expect(save.statusCode).toBe(409);
    expect(await findSubscriber(api.pool, reader.id)).toEqual(reader);
  });

  it('signs out every link and shows the new one', async () => {
    const reader = await api.seed('signout@example.org');
    const token = api.token(reader, 'manage');
    const response = await post(`/manage/${token}/revoke`, {});
    expect(response.statusCode).toBe(200);
    const fresh = /https:\/\/paperboy\.test(\/manage\/[A-Za-z0-9_.-]+)/.exec(response.body)?.[1];
    expect(fresh).toBeDefined();
    expect((await api.app.inject({ url: `/manage/${token}` })).statusCode).toBe(400);
    expect((await api.app.inject({ url: fresh! })).statusCode).toBe(200);
  });
});
