import { emailHash, isSuppressed, suppress } from '@paperboy/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
let disabled: TestApi;
beforeAll(async () => {
  api = await startTestApi('admin');
  disabled = await startTestApi('admin_off', { ADMIN_TOKEN: '' });
  await api.seed('ada@lovelace.example', 'active');
  await api.seed('alan@turing.example', 'pending');
  await api.seed('grace@hopper.example', 'unsubscribed');
  await api.seed('edsger@dijkstra.example', 'active');
});
afterAll(async () => {
  await api?.close();
  await disabled?.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const as = (headers: Record<string, string>, request: InjectOptions) =>
  api.app.inject({ ...request, headers: { ...request.headers, ...headers } });

const ROUTES: InjectOptions[] = [
  { method: 'GET', url: '/v1/admin/subscribers' },
  { method: 'GET', url: '/v1/admin/subscribers?status=bogus&limit=-1' },
  { method: 'GET', url: '/v1/admin/subscribers/counts' },
  { method: 'GET', url: '/v1/admin/suppressions' },
  {
    method: 'POST',
    url: '/v1/admin/suppressions',
    headers: { 'content-type': 'application/json' },
    payload: '{"email": "x@example.org"}',
  },
  {
    method: 'POST',
    url: '/v1/admin/suppressions',
    headers: { 'content-type': 'application/json' },
    payload: '{oops',
  },
  { method: 'DELETE', url: `/v1/admin/suppressions/${'a'.repeat(64)}` },
  { method: 'GET', url: `/v1/admin/suppressions/${'a'.repeat(64)}/history` },
];

describe('admin authentication', () => {
  it('answers every admin route the same 401 for a missing or wrong key, whatever the request holds', async () => {
    const bodies = new Set<string>();
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-key-wrong-key' },
      { authorization: ADMIN_TOKEN },
    ];
    for (const headers of attempts) {
      for (const route of ROUTES) {
        const response = await as(headers, route);
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
        bodies.add(response.body);
      }
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!)).toEqual({ error: 'unauthorized', message: expect.any(String) });
  });

  it('is always 401 when ADMIN_TOKEN is unset, even for an empty bearer', async () => {
    for (const authorization of [`Bearer ${ADMIN_TOKEN}`, 'Bearer ', 'Bearer null']) {
      const response = await disabled.app.inject({
        url: '/v1/admin/subscribers/counts',
        headers: { authorization },
      });
      expect(response.statusCode).toBe(401);
    }
  });
});

describe('subscribers', () => {
  it('counts readers by status', async () => {
    const response = await as(admin, { url: '/v1/admin/subscribers/counts' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ pending: 1, active: 2, unsubscribed: 1, total: 4 });
  });

  it('lists by status and searches by part of the address', async () => {
    const active = await as(admin, { url: '/v1/admin/subscribers?status=active' });
    expect(
      active
        .json()
        .items.map((item: { email: string }) => item.email)
        .sort(),
    ).toEqual(['ada@lovelace.example', 'edsger@dijkstra.example']);
    const search = await as(admin, { url: '/v1/admin/subscribers?q=HOPPER' });
    expect(search.json().items).toEqual([
      expect.objectContaining({ email: 'grace@hopper.example', status: 'unsubscribed' }),
    ]);
    const wildcard = await as(admin, { url: `/v1/admin/subscribers?q=${encodeURIComponent('%')}` });
    expect(wildcard.json().items).toEqual([]);
  });

  it('pages through everyone exactly once', async () => {
    const seen: string[] = [];
    let url = '/v1/admin/subscribers?limit=3';
    for (let page = 0; page < 5; page += 1) {
      const body = (await as(admin, { url })).json();
      seen.push(...body.items.map((item: { email: string }) => item.email));
      if (!body.nextCursor) break;
      url = `/v1/admin/subscribers?limit=3&after=${body.nextCursor}`;
    }
    expect(seen.sort()).toEqual([
      'ada@lovelace.example',
      'alan@turing.example',
      'edsger@dijkstra.example',
      'grace@hopper.example',
    ]);
  });

  it.each([
    ['an unknown status', '/v1/admin/subscribers?status=sleeping'],
    ['a page of 1000', '/v1/admin/subscribers?limit=1000'],
    [
      'a forged cursor',
      `/v1/admin/subscribers?after=${Buffer.from('["2026-02-31T00:00:00.000000Z","x"]').toString('base64url')}`,
    ],
    ['a cursor that is not JSON', '/v1/admin/subscribers?after=bm90LWpzb24'],
    ['an unknown parameter', '/v1/admin/subscribers?sort=email'],
  ])('answers 400 to %s', async (_case, url) => {
    const response = await as(admin, { url });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('bad_request');
  });
});

describe('suppressions', () => {
  it('adds by address, lists, looks up, and lifts', async () => {
    const added = await as(admin, {
      method: 'POST',
      url: '/v1/admin/suppressions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: ' Spam.Trap@Example.ORG ', detail: 'reported as a trap' }),
    });
    expect(added.statusCode).toBe(201);
    const hash = emailHash('Spam.Trap@example.org');
    expect(added.json()).toMatchObject({ emailHash: hash, reason: 'manual', detail: 'reported as a trap' });
    expect(await isSuppressed(api.pool, 'Spam.Trap@example.org')).toBe(true);

    await suppress(api.pool, 'bounced@example.org', 'hard-bounce');
    const bounces = await as(admin, { url: '/v1/admin/suppressions?reason=hard-bounce' });
    expect(bounces.json().items).toEqual([
      expect.objectContaining({ emailHash: emailHash('bounced@example.org') }),
    ]);
    const lookup = await as(admin, {
      url: `/v1/admin/suppressions?email=${encodeURIComponent('spam.trap@EXAMPLE.org')}`,
    });
    expect(lookup.json().items).toHaveLength(1);

    const lifted = await as(admin, { method: 'DELETE', url: `/v1/admin/suppressions/${hash}` });
    expect(lifted.statusCode).toBe(204);
    expect(await isSuppressed(api.pool, 'Spam.Trap@example.org')).toBe(false);
    const again = await as(admin, { method: 'DELETE', url: `/v1/admin/suppressions/${hash}` });
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toBe('not_found');
  });

  it.each([
    ['a bad address', { email: 'not an address' }],
    ['an unknown field', { email: 'a@example.org', reason: 'complaint' }],
    ['a detail too long', { email: 'a@example.org', detail: 'x'.repeat(501) }],
  ])('answers 400 to adding %s', async (_case, payload) => {
    const response = await as(admin, {
      method: 'POST',
      url: '/v1/admin/suppressions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
    expect(response.statusCode).toBe(400);
  });

  it('answers 400 to lifting something that is not a hash, and to a bad lookup', async () => {
    expect((await as(admin, { method: 'DELETE', url: '/v1/admin/suppressions/abc' })).statusCode).toBe(400);
    expect((await as(admin, { url: '/v1/admin/suppressions?email=nope' })).statusCode).toBe(400);
    expect((await as(admin, { url: '/v1/admin/suppressions?reason=bored' })).statusCode).toBe(400);
  });
});
