import { findSubscriberByEmail } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let replicaA: TestApi;
let replicaB: TestApi;
beforeAll(async () => {
  replicaA = await startTestApi('rate_a', {
    RATE_LIMIT_PER_MINUTE: '6',
    SIGNUPS_PER_IP_PER_HOUR: '3',
    SIGNUPS_PER_ADDRESS_PER_HOUR: '2',
  });
  // A second replica on the same Redis keys, as two api pods behind one load balancer would be.
  replicaB = await startTestApi('rate_b', {
    RATE_LIMIT_PER_MINUTE: '6',
    SIGNUPS_PER_IP_PER_HOUR: '3',
    SIGNUPS_PER_ADDRESS_PER_HOUR: '2',
    RATE_LIMIT_PREFIX: replicaA.config.rateLimitPrefix,
  });
});
afterAll(async () => {
  await replicaB?.close();
  await replicaA?.close();
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const signUp = (api: TestApi, email: string, ip: string) =>
  api.app.inject({
    method: 'POST',
    url: '/v1/subscriptions',
    headers: { 'content-type': 'application/json', ...from(ip) },
    payload: JSON.stringify({ email }),
  });

describe('rate limits', () => {
  it('holds one per-IP budget across replicas and answers 429 JSON with Retry-After', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      const api = index % 2 === 0 ? replicaA : replicaB;
      const response = await api.app.inject({ url: '/v1/subscriptions/me', headers: from('198.51.100.1') });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json()).toEqual({
          error: 'too_many_requests',
          message: expect.stringContaining('try again'),
        });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const otherClient = await replicaA.app.inject({
      url: '/v1/subscriptions/me',
      headers: from('198.51.100.2'),
    });
    expect(otherClient.statusCode).toBe(401);
  });

  it('counts unknown URLs and admin probes too, but never health checks', async () => {
    const ip = from('198.51.100.3');
    for (let index = 0; index < 6; index += 1)
      await replicaA.app.inject({ url: '/v1/admin/subscribers', headers: ip });
    expect((await replicaA.app.inject({ url: '/nowhere', headers: ip })).statusCode).toBe(429);
    for (let index = 0; index < 10; index += 1)
      expect((await replicaA.app.inject({ url: '/healthz', headers: ip })).statusCode).toBe(200);
  });

  it('limits sign-ups per address, whatever the spelling and the IP', async () => {
    expect((await signUp(replicaA, 'target@example.org', '198.51.100.10')).statusCode).toBe(202);
    expect((await signUp(replicaB, ' target@EXAMPLE.org', '198.51.100.11')).statusCode).toBe(202);
    const third = await signUp(replicaA, 'target@Example.Org', '198.51.100.12');
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
    expect((await signUp(replicaA, 'someone-else@example.org', '198.51.100.13')).statusCode).toBe(202);
  });

  it('limits sign-ups per IP, for many different addresses', async () => {
    const ip = '198.51.100.20';
    const statuses = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push(
        (await signUp(index % 2 ? replicaA : replicaB, `many-${index}@example.org`, ip)).statusCode,
      );
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      const response = await replicaA.app.inject({
        url: '/v1/subscriptions/me',
        remoteAddress: '203.0.113.50',
        headers: from(`192.0.2.${index}`),
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('counts sign-ups in the per-IP budget and refuses them past it, whatever their body', async () => {
    const ip = '198.51.100.30';
    const post = (payload: string, contentType = 'application/json') =>
      replicaA.app.inject({
        method: 'POST',
        url: '/v1/subscriptions',
        headers: { 'content-type': contentType, ...from(ip) },
        payload,
      });
    // Six per minute: two sign-ups, two bad bodies and two other requests spend the budget.
    expect((await signUp(replicaA, 'budget-1@example.org', ip)).statusCode).toBe(202);
    expect((await post('{"email":')).statusCode).toBe(400);
    expect((await post(JSON.stringify({ email: 'budget-2@example.org', sendHour: 99 }))).statusCode).toBe(
      400,
    );
    expect((await signUp(replicaB, 'budget-3@example.org', ip)).statusCode).toBe(202);
    for (let index = 0; index < 2; index += 1)
      expect((await replicaA.app.inject({ url: '/v1/subscriptions/me', headers: from(ip) })).statusCode).toBe(
        401,
      );

    for (const response of [
      await signUp(replicaA, 'budget-4@example.org', ip),
      await post('{"email":'),
      await post(JSON.stringify({ email: 'budget-5@example.org', sendHour: 99 })),
      await post('email=x', 'text/plain'),
      await post(JSON.stringify({ email: 'x'.repeat(9_000) })),
    ]) {
      expect(response.statusCode).toBe(429);
      expect(response.json()).toEqual({
        error: 'too_many_requests',
        message: expect.stringContaining('try again'),
      });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(await findSubscriberByEmail(replicaA.pool, 'budget-4@example.org')).toBeNull();
  });
});
