import { readFile } from 'node:fs/promises';
import { importPapersJsonl } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  api = await startTestApi('admin_preview');
  const sample = await readFile(
    new URL('../../../data/trending-papers-sample.jsonl', import.meta.url),
    'utf8',
  );
  await importPapersJsonl(api.pool, sample);
  await api.seed('sr@example.org', 'active', {
    topics: ['super-resolution'],
    paperCount: 5,
    timezone: 'Asia/Tokyo',
  });
});
afterAll(async () => {
  await api?.close();
});

describe('GET /v1/admin/preview', () => {
  it('shows the digest a reader would get today, without recording anything', async () => {
    const json = await api.app.inject({
      url: '/v1/admin/preview?email=SR@Example.org&format=json',
      headers: admin,
    });
    expect(json.statusCode).toBe(200);
    const body = json.json() as { localDate: string; subject: string; papers: { matchedTopics: string[] }[] };
    expect(body.papers).toHaveLength(5);
    expect(body.papers[0]!.matchedTopics).toEqual(['super-resolution']);
    expect(body.subject).toMatch(/^5 trending papers: /);
    expect(body.localDate).toBe(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date()),
    );

    const html = await api.app.inject({ url: '/v1/admin/preview?email=sr@example.org', headers: admin });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Unsubscribe');
    expect(html.body).not.toMatch(/\/(u|manage)\/[A-Za-z0-9_-]+\./);

    for (const table of ['deliveries', 'delivery_papers', 'digest_editions']) {
      expect((await api.pool.query(`SELECT 1 FROM ${table}`)).rowCount, table).toBe(0);
    }
  });

  it('answers 404 for an unknown reader, 400 for a bad address, 401 without the key', async () => {
    expect(
      (await api.app.inject({ url: '/v1/admin/preview?email=nobody@example.org', headers: admin }))
        .statusCode,
    ).toBe(404);
    const bad = await api.app.inject({ url: '/v1/admin/preview?email=not-an-address', headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request' });
    expect((await api.app.inject({ url: '/v1/admin/preview?email=sr@example.org' })).statusCode).toBe(401);
  });
});
