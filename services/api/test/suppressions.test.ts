import {
  confirmSubscriber,
  emailHash,
  findSubscriber,
  findSuppression,
  recordSignup,
  type SuppressionReason,
  suppress,
} from '@paperboy/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('suppressions');
});
afterAll(async () => {
  await api?.close();
});

const asAdmin = (request: InjectOptions) =>
  api.app.inject({ ...request, headers: { ...request.headers, authorization: `Bearer ${ADMIN_TOKEN}` } });
const preferences = { topics: [], timezone: 'UTC', sendHour: 8, paperCount: 10 };
const reasonOf = async (email: string) => (await findSuppression(api.pool, email))?.reason ?? null;

/** A reader whose address got `reason`, then signed up again and clicked the confirmation link. */
async function confirmAfter(email: string, reason: SuppressionReason) {
  await api.seed(email, 'unsubscribed');
  await suppress(api.pool, email, reason, 'why');
  const { subscriberId } = await recordSignup(api.pool, email, preferences, 600);
  const pending = await findSubscriber(api.pool, subscriberId);
  return confirmSubscriber(api.pool, subscriberId, pending!.tokenVersion);
}

describe('the strongest reason wins', () => {
  it('orders complaint > hard-bounce > manual > unsubscribed > erased, whatever comes in what order', async () => {
    const order: SuppressionReason[] = ['erased', 'unsubscribed', 'manual', 'hard-bounce', 'complaint'];
    for (const [index, strongest] of order.entries()) {
      const email = `order-${strongest}@example.org`;
      // Every weaker reason after the strong one, and once before it too.
      const weaker = order.slice(0, index);
      for (const reason of [...weaker, strongest, ...weaker.reverse()]) {
        await suppress(api.pool, email, reason);
      }
      expect(await reasonOf(email), strongest).toBe(strongest);
    }
  });

  it('keeps a bounce reason when the reader unsubscribes afterwards, and records no weaker change', async () => {
    const reader = await api.seed('bounced-unsub@example.org');
    await suppress(api.pool, reader.email, 'hard-bounce', '550 5.1.1 unknown user');
    const response = await api.app.inject({
      method: 'POST',
      url: `/u/${api.token(reader, 'unsubscribe')}`,
    });
    expect(response.statusCode).toBe(200);
    expect(await reasonOf(reader.email)).toBe('hard-bounce');
    const history = await asAdmin({ url: `/v1/admin/suppressions/${emailHash(reader.email)}/history` });
    expect(history.json().items.map((event: { action: string }) => event.action)).toEqual(['suppressed']);
  });

  it('an operator block on a complaint answers with the complaint still in force', async () => {
    await suppress(api.pool, 'complained@example.org', 'complaint', 'ARF report');
    const response = await asAdmin({
      method: 'POST',
      url: '/v1/admin/suppressions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'complained@example.org', detail: 'also blocked' }),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      reason: 'complaint',
      detail: 'ARF report',
      readerMayLift: false,
    });
  });

  it('a complaint after an unsubscribe strengthens it, and the history says so', async () => {
    await suppress(api.pool, 'left-then-complained@example.org', 'unsubscribed', null, 'reader');
    await suppress(api.pool, 'left-then-complained@example.org', 'complaint', 'ARF');
    const history = await asAdmin({
      url: `/v1/admin/suppressions/${emailHash('left-then-complained@example.org')}/history`,
    });
    expect(history.json().items).toEqual([
      expect.objectContaining({
        action: 'strengthened',
        reason: 'complaint',
        previousReason: 'unsubscribed',
      }),
      expect.objectContaining({ action: 'suppressed', reason: 'unsubscribed', actor: 'reader' }),
    ]);
  });
});

describe('confirming a new sign-up', () => {
  it.each(['unsubscribed', 'erased'] as const)(
    'lifts the reader’s own "%s", recorded as the reader',
    async (reason) => {
      const email = `back-after-${reason}@example.org`;
      const confirmed = await confirmAfter(email, reason);
      expect(confirmed?.status).toBe('active');
      expect(await reasonOf(email)).toBeNull();
      const history = await asAdmin({ url: `/v1/admin/suppressions/${emailHash(email)}/history` });
      expect(history.json().items[0]).toMatchObject({ action: 'lifted', reason, actor: 'reader' });
    },
  );

  it.each(['complaint', 'hard-bounce', 'manual'] as const)('never lifts "%s"', async (reason) => {
    const email = `held-${reason}@example.org`;
    await confirmAfter(email, reason);
    expect(await reasonOf(email)).toBe(reason);
  });
});

describe('lifting through the admin API', () => {
  it('is the only way to lift a strong reason, and is recorded with the operator’s note', async () => {
    const email = 'lift-me@example.org';
    await suppress(api.pool, email, 'hard-bounce', 'mailbox full, said 550');
    const hash = emailHash(email);
    const lifted = await asAdmin({
      method: 'DELETE',
      url: `/v1/admin/suppressions/${hash}?note=${encodeURIComponent('the reader wrote to support')}`,
    });
    expect(lifted.statusCode).toBe(204);
    expect(await reasonOf(email)).toBeNull();
    const history = await asAdmin({ url: `/v1/admin/suppressions/${hash}/history` });
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual([
      expect.objectContaining({
        action: 'lifted',
        reason: 'hard-bounce',
        actor: 'admin',
        detail: 'the reader wrote to support',
      }),
      expect.objectContaining({ action: 'suppressed', reason: 'hard-bounce', actor: 'system' }),
    ]);
  });
});
