import { findSubscriber, planDueDeliveries } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('unsubscribe');
});
afterAll(async () => {
  await api?.close();
});

function multipart(fields: Record<string, string>, boundary = '----paperboy-test-boundary') {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${parts.join('')}--${boundary}--\r\n`,
  };
}

const formEncoded = {
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: 'List-Unsubscribe=One-Click',
};

describe('one-click unsubscribe (RFC 8058)', () => {
  it.each([
    ['form-encoded', formEncoded],
    ['multipart', multipart({ 'List-Unsubscribe': 'One-Click' })],
    ['an empty body', { headers: {}, payload: undefined }],
  ])('unsubscribes at once from a %s POST, with no cookie and no redirect', async (kind, body) => {
    const reader = await api.seed(`one-click-${kind.replace(/\W/g, '')}@example.org`);
    const response = await api.app.inject({
      method: 'POST',
      url: `/u/${api.token(reader, 'unsubscribe')}`,
      ...body,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body.length).toBeLessThan(4096);
    expect((await findSubscriber(api.pool, reader.id))?.status).toBe('unsubscribed');
  });

  it('cancels a digest planned but not yet sent, and the next plan leaves the reader out', async () => {
    const reader = await api.seed('planned@example.org');
    const now = new Date();
    await planDueDeliveries(api.pool, now, { ignoreSendHour: true });
    await api.app.inject({ method: 'POST', url: `/u/${api.token(reader, 'unsubscribe')}`, ...formEncoded });
    const { rows } = await api.pool.query(
      'SELECT status, skip_reason FROM deliveries WHERE subscriber_id = $1',
      [reader.id],
    );
    expect(rows).toEqual([{ status: 'skipped', skip_reason: 'unsubscribed' }]);
    const later = await planDueDeliveries(api.pool, new Date(now.getTime() + 86_400_000), {
      ignoreSendHour: true,
    });
    const mine = await api.pool.query('SELECT 1 FROM deliveries WHERE subscriber_id = $1 AND id = ANY($2)', [
      reader.id,
      later,
    ]);
    expect(mine.rowCount).toBe(0);
  });

  it('answers the same page to a second POST (the button after the provider’s one-click)', async () => {
    const reader = await api.seed('twice@example.org');
    const url = `/u/${api.token(reader, 'unsubscribe')}`;
    const first = await api.app.inject({ method: 'POST', url, ...formEncoded });
    const second = await api.app.inject({ method: 'POST', url, ...formEncoded });
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
  });

  it('never unsubscribes on GET: link scanners prefetch; the page has a button that POSTs', async () => {
    const reader = await api.seed('scanned@example.org');
    const token = api.token(reader, 'unsubscribe');
    const page = await api.app.inject({ url: `/u/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form method="post" action="/u/${token}">`);
    expect((await findSubscriber(api.pool, reader.id))?.status).toBe('active');
  });

  it('refuses forged and wrong-purpose tokens with the broken-link page', async () => {
    const reader = await api.seed('refused@example.org');
    for (const token of [
      'garbage',
      `${api.token(reader, 'unsubscribe').slice(0, -2)}xx`,
      api.token(reader, 'manage'),
      api.token(reader, 'confirm', Math.floor(Date.now() / 1000) + 60),
      api.token(reader, 'data', Math.floor(Date.now() / 1000) + 60),
    ]) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await api.app.inject({
          method,
          url: `/u/${token}`,
          ...(method === 'POST' ? formEncoded : {}),
        });
        expect(response.statusCode).toBe(400);
        expect(response.body).toContain('This link does not work');
      }
    }
    expect((await findSubscriber(api.pool, reader.id))?.status).toBe('active');
  });

  it('keeps working after "sign out all links": a mail already sent can always unsubscribe', async () => {
    const reader = await api.seed('signed-out@example.org');
    const oldLink = `/u/${api.token(reader, 'unsubscribe')}`;
    const revoked = await api.app.inject({
      method: 'POST',
      url: `/v1/subscriptions/me/revoke-links`,
      headers: { authorization: `Bearer ${api.token(reader, 'manage')}` },
    });
    expect(revoked.statusCode).toBe(200);
    expect((await findSubscriber(api.pool, reader.id))?.tokenVersion).toBe(reader.tokenVersion + 1);
    expect((await api.app.inject({ url: oldLink })).statusCode).toBe(200);
    const response = await api.app.inject({ method: 'POST', url: oldLink, ...formEncoded });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('unsubscribed');
    expect((await findSubscriber(api.pool, reader.id))?.status).toBe('unsubscribed');
  });

  it('answers kindly when the reader already erased their data, and changes nothing', async () => {
    const reader = await api.seed('long-gone@example.org');
    const link = `/u/${api.token(reader, 'unsubscribe')}`;
    await api.pool.query('DELETE FROM subscribers WHERE id = $1', [reader.id]);
    for (const method of ['GET', 'POST'] as const) {
      const response = await api.app.inject({ method, url: link, ...(method === 'POST' ? formEncoded : {}) });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('You will not hear from us');
    }
  });

  it('answers 4xx JSON to multipart that carries a file or is broken', async () => {
    const reader = await api.seed('files@example.org');
    const url = `/u/${api.token(reader, 'unsubscribe')}`;
    const boundary = 'b0undary';
    const withFile = await api.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    const broken = await api.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'multipart/form-data' },
      payload: 'no boundary at all',
    });
    for (const response of [withFile, broken]) {
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(Object.keys(response.json())).toEqual(['error', 'message']);
    }
  });
});
