import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('docs');
});
afterAll(async () => {
  await api?.close();
});

interface Operation {
  responses: Record<
    string,
    { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }
  >;
}
type Paths = Record<string, Record<string, Operation>>;

const EXPECTED: Record<string, Record<string, string[]>> = {
  '/v1/subscriptions': { post: ['202', '400', '413', '415', '429', '503'] },
  '/v1/subscriptions/me': {
    get: ['200', '401', '429'],
    patch: ['200', '400', '401', '409', '413', '415', '429'],
    delete: ['202', '401', '429'],
  },
  '/v1/subscriptions/me/export': { get: ['202', '401', '429'] },
  '/v1/subscriptions/me/data-link': { post: ['202', '401', '429'] },
  '/v1/subscriptions/me/revoke-links': { post: ['200', '401', '409', '429'] },
  '/confirm/{token}': { get: ['200', '400', '429'], post: ['200', '400', '413', '415', '429'] },
  '/u/{token}': { get: ['200', '400', '429'], post: ['200', '400', '413', '415', '429'] },
  '/manage/{token}': { get: ['200', '400', '429'], post: ['303', '400', '409', '413', '415', '429'] },
  '/manage/{token}/export': { get: ['200', '400', '429'] },
  '/manage/{token}/erase': { post: ['200', '400', '413', '415', '429'] },
  '/manage/{token}/data-link': { post: ['200', '400', '413', '415', '429'] },
  '/data/{token}': { get: ['200', '400', '429'] },
  '/data/{token}/export': { get: ['200', '400', '429'] },
  '/data/{token}/erase': { post: ['200', '400', '413', '415', '429'] },
  '/manage/{token}/revoke': { post: ['200', '400', '413', '415', '429'] },
  '/manage/{token}/feed': { post: ['303', '400', '413', '415', '429'] },
  '/': { get: ['200', '429'], post: ['200', '400', '413', '415', '429'] },
  '/papers/{id}': { get: ['200', '400', '404', '429'] },
  '/feeds/daily.atom': { get: ['200', '304', '429'] },
  '/feeds/daily.json': { get: ['200', '304', '429'] },
  '/feeds/reader/{token}': { get: ['200', '304', '404', '429'] },
  '/v1/admin/subscribers': { get: ['200', '400', '401', '429'] },
  '/v1/admin/subscribers/counts': { get: ['200', '401', '429'] },
  '/v1/admin/suppressions': {
    get: ['200', '400', '401', '429'],
    post: ['201', '400', '401', '413', '415', '429'],
  },
  '/v1/admin/suppressions/{emailHash}': { delete: ['204', '400', '401', '404', '429'] },
  '/v1/admin/suppressions/{emailHash}/history': { get: ['200', '400', '401', '429'] },
  '/v1/admin/bounces': { get: ['200', '400', '401', '429'] },
  '/v1/webhooks/bounces': { post: ['200', '400', '401', '413', '415', '429'] },
  '/v1/webhooks/bounces/ses': { post: ['200', '400', '401', '413', '415', '429', '502'] },
  '/v1/webhooks/bounces/postmark': { post: ['200', '400', '401', '413', '415', '429'] },
};

describe('OpenAPI', () => {
  it('documents every route with every answer it gives, errors included', async () => {
    const response = await api.app.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Paths };
    expect(document.openapi).toMatch(/^3\./);
    for (const [path, methods] of Object.entries(EXPECTED)) {
      for (const [method, statuses] of Object.entries(methods)) {
        const operation = document.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(Object.keys(operation!.responses).sort(), `${method} ${path}`).toEqual(statuses.sort());
      }
    }
  });

  it('gives every JSON error the {error, message} shape', async () => {
    const document = (await api.app.inject({ url: '/docs/json' })).json() as { paths: Paths };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [status, answer] of Object.entries(operation.responses)) {
          const json = answer.content?.['application/json']?.schema;
          // 4xx only: /readyz answers its own body with 503 on purpose.
          if (Number(status) < 400 || Number(status) >= 500 || !json) continue;
          expect(Object.keys(json.properties ?? {}), `${method} ${path} ${status}`).toEqual([
            'error',
            'message',
          ]);
        }
      }
    }
  });

  it('serves the UI at /docs with a policy that lets its own scripts run', async () => {
    const entry = await api.app.inject({ url: '/docs' });
    const location = entry.headers.location;
    const page = location
      ? await api.app.inject({ url: `/docs/${String(location).replace(/^\.?\/?(docs\/)?/, '')}` })
      : entry;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
