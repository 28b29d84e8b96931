import { findSubscriberByEmail } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('signup');
});
afterAll(async () => {
  await api?.close();
});

const signUp = (payload: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: 'POST',
    url: '/v1/subscriptions',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

async function confirmationJobs(subscriberId: string) {
  const queued = await api.confirmationsQueued();
  return queued.filter((id) => id === subscriberId);
}

describe('sign-up', () => {
  it('stores a new reader as pending with a normalised address and cleaned preferences', async () => {
    const response = await signUp({
      email: '  Grace.Hopper@Bücher.EXAMPLE ',
      topics: ['  Diffusion  models ', 'diffusion models', 'LLMs'],
      timezone: 'america/new_york',
      sendHour: 6,
      paperCount: 5,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      status: 'pending',
      message: expect.stringContaining('confirmation link'),
    });
    const stored = await findSubscriberByEmail(api.pool, 'Grace.Hopper@xn--bcher-kva.example');
    expect(stored).toMatchObject({
      status: 'pending',
      topics: ['Diffusion models', 'LLMs'],
      timezone: 'America/New_York',
      sendHour: 6,
      paperCount: 5,
    });
  });

  it('treats addresses that differ only in letter case as one reader', async () => {
    expect((await signUp({ email: 'Case.Reader@example.org' })).statusCode).toBe(202);
    expect((await signUp({ email: 'case.reader@EXAMPLE.org' })).statusCode).toBe(202);
    const { rows } = await api.pool.query(
      "SELECT email FROM subscribers WHERE lower(email) = 'case.reader@example.org'",
    );
    expect(rows).toEqual([{ email: 'Case.Reader@example.org' }]);
  });

  it('uses the defaults for preferences left out', async () => {
    expect((await signUp({ email: 'defaults@example.org' })).statusCode).toBe(202);
    expect(await findSubscriberByEmail(api.pool, 'defaults@example.org')).toMatchObject({
      topics: [],
      timezone: 'UTC',
      sendHour: 8,
      paperCount: api.config.papersPerDigest,
    });
  });

  it('hands every sign-up to the mailer, which decides whether a confirmation is due', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect((await signUp({ email: 'eager@example.org' })).statusCode).toBe(202);
    const reader = await findSubscriberByEmail(api.pool, 'eager@example.org');
    expect(await confirmationJobs(reader!.id)).toHaveLength(3);
  });

  it('retires confirmation links from before a reader left when they sign up again', async () => {
    const left = await api.seed('returning@example.org', 'unsubscribed');
    const oldLink = `/confirm/${api.token(left, 'confirm')}`;
    await signUp({ email: 'returning@example.org' });
    expect((await api.app.inject({ method: 'POST', url: oldLink })).statusCode).toBe(400);
    const fresh = (await findSubscriberByEmail(api.pool, 'returning@example.org'))!;
    expect(fresh.tokenVersion).toBe(left.tokenVersion + 1);
    expect(
      (await api.app.inject({ method: 'POST', url: `/confirm/${api.token(fresh, 'confirm')}` })).statusCode,
    ).toBe(200);
  });

  it('makes a reader who left confirm again, and leaves an active reader’s settings alone', async () => {
    const left = await api.seed('left@example.org', 'unsubscribed');
    const active = await api.seed('active@example.org', 'active', { sendHour: 7, topics: ['robotics'] });
    await signUp({ email: 'left@example.org', sendHour: 9 });
    await signUp({ email: 'active@example.org', sendHour: 21, topics: ['poetry'] });
    expect(await findSubscriberByEmail(api.pool, 'left@example.org')).toMatchObject({
      id: left.id,
      status: 'pending',
      sendHour: 9,
      unsubscribedAt: null,
    });
    expect(await findSubscriberByEmail(api.pool, 'active@example.org')).toMatchObject({
      id: active.id,
      status: 'active',
      sendHour: 7,
      topics: ['robotics'],
    });
  });

  it.each([
    ['an address without a domain', { email: 'nobody@' }, 'body.email'],
    ['two addresses', { email: 'a@example.org, b@example.org' }, 'body.email'],
    ['a made-up time zone', { email: 'z@example.org', timezone: 'Mars/Olympus_Mons' }, 'IANA'],
    ['a UTC offset instead of a zone', { email: 'z@example.org', timezone: 'UTC+5' }, 'IANA'],
    ['hour 24', { email: 'z@example.org', sendHour: 24 }, 'body.sendHour'],
    ['an hour as text', { email: 'z@example.org', sendHour: '8' }, 'body.sendHour'],
    ['a fractional hour', { email: 'z@example.org', sendHour: 7.5 }, 'body.sendHour'],
    ['2 papers', { email: 'z@example.org', paperCount: 2 }, 'body.paperCount'],
    ['26 papers', { email: 'z@example.org', paperCount: 26 }, 'body.paperCount'],
    [
      '21 topics',
      { email: 'z@example.org', topics: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      'body.topics',
    ],
    ['a topic of 81 characters', { email: 'z@example.org', topics: ['x'.repeat(81)] }, 'body.topics'],
    ['topics as one string', { email: 'z@example.org', topics: 'ai' }, 'body.topics'],
    ['an unknown field', { email: 'z@example.org', admin: true }, 'unknown field "admin"'],
    ['no email', { topics: [] }, 'email'],
  ])('answers 400 to %s', async (_case, payload, mentions) => {
    const response = await signUp(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'bad_request', message: expect.stringContaining(mentions) });
    expect(await findSubscriberByEmail(api.pool, 'z@example.org')).toBeNull();
  });

  it('answers 400 to broken JSON, 415 to a content type it does not take, 413 to a huge body', async () => {
    const broken = await signUp('{"email": "x@example.org",');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('bad_request');
    const xml = await signUp('<email>x@example.org</email>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error).toBe('unsupported_media_type');
    const huge = await signUp({ email: 'x@example.org', topics: ['a'.repeat(20_000)] });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe('payload_too_large');
  });
});
