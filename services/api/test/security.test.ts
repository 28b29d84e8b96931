import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
let withCors: TestApi;
beforeAll(async () => {
  api = await startTestApi('security');
  withCors = await startTestApi('security_cors', {
    CORS_ORIGINS: 'https://paperboy.example, https://www.paperboy.example',
  });
});
afterAll(async () => {
  await api?.close();
  await withCors?.close();
});

describe('security headers and CORS', () => {
  it('sends the security headers on JSON answers and pages alike', async () => {
    const reader = await api.seed('headers@example.org');
    for (const url of ['/v1/subscriptions/me', `/manage/${api.token(reader, 'manage')}`, '/nowhere']) {
      const response = await api.app.inject({ url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends them on answers to refused input too', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'not an address' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('answers no CORS headers when CORS_ORIGINS is unset', async () => {
    const preflight = await api.app.inject({
      method: 'OPTIONS',
      url: '/v1/subscriptions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const read = await api.app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the configured origins when CORS_ORIGINS is set', async () => {
    const allowed = await withCors.app.inject({
      method: 'OPTIONS',
      url: '/v1/subscriptions',
      headers: { origin: 'https://paperboy.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://paperboy.example');
    const refused = await withCors.app.inject({
      method: 'OPTIONS',
      url: '/v1/subscriptions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('errors', () => {
  it.each([
    ['an unknown route', 'GET', '/v1/nothing-here', undefined, 404],
    ['a path with broken percent-encoding', 'GET', '/manage/%E0%A4%A', undefined, 400],
    ['a token far too long', 'GET', `/manage/${'a'.repeat(700)}`, undefined, 414],
    ['JSON that is not an object', 'POST', '/v1/subscriptions', '"just a string"', 400],
    ['an empty JSON body', 'POST', '/v1/subscriptions', '', 400],
    ['deeply nested JSON', 'POST', '/v1/subscriptions', `${'['.repeat(3000)}${']'.repeat(3000)}`, 400],
    [
      'a prototype-polluting body',
      'POST',
      '/v1/subscriptions',
      '{"__proto__": {"admin": true}, "email": "p@example.org"}',
      400,
    ],
  ] as const)(
    'answers %s with a JSON error and no stack trace',
    async (_case, method, url, payload, status) => {
      const response = await api.app.inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
      });
      expect(response.statusCode).toBe(status);
      const body = response.json();
      expect(Object.keys(body)).toEqual(['error', 'message']);
      expect(response.body).not.toMatch(/at .+\.(ts|js):\d+/);
    },
  );
});
