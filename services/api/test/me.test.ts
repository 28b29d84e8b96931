import { findSubscriber, planDueDeliveries } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('me');
});
afterAll(async () => {
  await api?.close();
});

const asReader = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /v1/subscriptions/me', () => {
  it('shows the reader their settings, never cached', async () => {
    const reader = await api.seed('me@example.org', 'active', { topics: ['graphs'], timezone: 'Asia/Tokyo' });
    const response = await api.app.inject({
      url: '/v1/subscriptions/me',
      headers: asReader(api.token(reader, 'manage')),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      email: 'me@example.org',
      status: 'active',
      topics: ['graphs'],
      timezone: 'Asia/Tokyo',
      sendHour: 8,
      paperCount: 10,
      cadence: 'daily',
      weekday: 1,
      pausedUntil: null,
      confirmedAt: expect.any(String),
      createdAt: expect.any(String),
    });
  });

  it('answers the same 401 to a missing, forged, wrong-purpose, expired or revoked token', async () => {
    const reader = await api.seed('locked@example.org');
    const manage = api.token(reader, 'manage');
    const revoked = api.token({ ...reader, tokenVersion: reader.tokenVersion - 1 }, 'manage');
    const headers = [
      {},
      { authorization: 'Basic bWU6cGFzcw==' },
      { authorization: 'Bearer' },
      asReader(`${manage.slice(0, -4)}AAAA`),
      asReader(api.token(reader, 'unsubscribe')),
      asReader(api.token(reader, 'confirm', Math.floor(Date.now() / 1000) + 3600)),
      asReader(api.token(reader, 'manage', Math.floor(Date.now() / 1000) - 60)),
      asReader(revoked),
    ];
    const answers = await Promise.all(
      headers.map((header) => api.app.inject({ url: '/v1/subscriptions/me', headers: header })),
    );
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer');
      expect(answer.body).toBe(answers[0]!.body);
    }
    expect(answers[0]!.json().error).toBe('unauthorized');
  });
});

describe('PATCH /v1/subscriptions/me', () => {
  const patch = (token: string, payload: unknown, contentType = 'application/json') =>
    api.app.inject({
      method: 'PATCH',
      url: '/v1/subscriptions/me',
      headers: { ...asReader(token), 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('changes topics, zone, hour and count, and cleans the topics', async () => {
    const reader = await api.seed('patch@example.org');
    const response = await patch(api.token(reader, 'manage'), {
      topics: [' Reinforcement learning', 'reinforcement LEARNING', 'RAG '],
      timezone: 'Europe/Lisbon',
      sendHour: 19,
      paperCount: 25,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      topics: ['Reinforcement learning', 'RAG'],
      timezone: 'Europe/Lisbon',
      sendHour: 19,
      paperCount: 25,
    });
    expect(await findSubscriber(api.pool, reader.id)).toMatchObject({
      sendHour: 19,
      timezone: 'Europe/Lisbon',
    });
  });

  it('pauses: no digest is planned until the pause ends, and one already planned is cancelled', async () => {
    const reader = await api.seed('pause@example.org');
    const now = new Date();
    const planned = await planDueDeliveries(api.pool, now, { ignoreSendHour: true });
    expect(planned.length).toBeGreaterThan(0);
    const response = await patch(api.token(reader, 'manage'), { pauseDays: 7 });
    expect(response.statusCode).toBe(200);
    const pausedUntil = new Date(response.json().pausedUntil);
    expect(pausedUntil.getTime()).toBeGreaterThan(now.getTime() + 6 * 86_400_000);
    const { rows } = await api.pool.query(
      'SELECT status, skip_reason FROM deliveries WHERE subscriber_id = $1',
      [reader.id],
    );
    expect(rows).toEqual([{ status: 'skipped', skip_reason: 'paused' }]);
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const replanned = await planDueDeliveries(api.pool, tomorrow, { ignoreSendHour: true });
    const mine = await api.pool.query('SELECT id FROM deliveries WHERE subscriber_id = $1 AND id = ANY($2)', [
      reader.id,
      replanned,
    ]);
    expect(mine.rowCount).toBe(0);

    const resumed = await patch(api.token(reader, 'manage'), { pauseDays: 0 });
    expect(resumed.json().pausedUntil).toBeNull();
  });

  it.each([
    ['an empty change', {}, 'fewer than 1'],
    ['an unknown field', { sendHour: 3, email: 'x@example.org' }, 'unknown field "email"'],
    ['a made-up zone', { timezone: 'Europe/Atlantis' }, 'IANA'],
    ['an hour as text', { sendHour: '3' }, 'body.sendHour'],
    ['a pause of a year', { pauseDays: 365 }, 'body.pauseDays'],
    ['a null', { topics: null }, 'body.topics'],
  ])('answers 400 to %s and changes nothing', async (_case, payload, mentions) => {
    const reader = await api.seed(`bad-${Math.random().toString(36).slice(2)}@example.org`);
    const response = await patch(api.token(reader, 'manage'), payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'bad_request', message: expect.stringContaining(mentions) });
    expect(await findSubscriber(api.pool, reader.id)).toEqual(reader);
  });

  it('answers 415 to a body that is not JSON, 413 to a huge one, 409 once the reader has left', async () => {
    const reader = await api.seed('types@example.org');
    const token = api.token(reader, 'manage');
    expect((await patch(token, '<x/>', 'application/xml')).statusCode).toBe(415);
    expect((await patch(token, { topics: ['x'.repeat(9000)] })).statusCode).toBe(413);
    const left = await api.seed('gone@example.org', 'unsubscribed');
    const conflict = await patch(api.token(left, 'manage'), { sendHour: 5 });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: 'conflict', message: expect.stringContaining('sign up again') });
  });

  it('answers 401 before looking at the body', async () => {
    const response = await patch('nonsense', '{broken');
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /v1/subscriptions/me/revoke-links', () => {
  it('signs out every earlier link but unsubscribe links, and hands out working new ones', async () => {
    const reader = await api.seed('revoke@example.org');
    const old = api.token(reader, 'manage');
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/subscriptions/me/revoke-links',
      headers: asReader(old),
    });
    expect(response.statusCode).toBe(200);
    const { manageUrl, unsubscribeUrl } = response.json();
    expect(manageUrl).toMatch(/^https:\/\/paperboy\.test\/manage\//);
    expect(unsubscribeUrl).toMatch(/^https:\/\/paperboy\.test\/u\//);
    expect((await api.app.inject({ url: '/v1/subscriptions/me', headers: asReader(old) })).statusCode).toBe(
      401,
    );
    const fresh = manageUrl.split('/manage/')[1];
    expect((await api.app.inject({ url: '/v1/subscriptions/me', headers: asReader(fresh) })).statusCode).toBe(
      200,
    );
    const oldUnsubscribe = await api.app.inject({
      method: 'POST',
      url: `/u/${api.token(reader, 'unsubscribe')}`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    // Unsubscribe links work for as long as the mail can be read (RFC 8058): sign-out leaves them be.
    expect(oldUnsubscribe.statusCode).toBe(200);
    expect((await findSubscriber(api.pool, reader.id))?.status).toBe('unsubscribed');
  });
});
