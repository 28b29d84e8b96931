import { findSubscriberByEmail, suppress } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('enumeration');
  const pending = await api.seed('pending@example.org', 'pending');
  await api.pool.query('UPDATE subscribers SET confirmation_sent_at = now() WHERE id = $1', [pending.id]);
  await api.seed('active@example.org', 'active');
  await api.seed('left@example.org', 'unsubscribed');
  await suppress(api.pool, 'erased@example.org', 'erased');
});
afterAll(async () => {
  await api?.close();
});

const ADDRESSES = {
  new: 'brand-new@example.org',
  pending: 'pending@example.org',
  active: 'active@example.org',
  unsubscribed: 'left@example.org',
  erased: 'erased@example.org',
};

// Headers that differ between any two requests, whoever they are about.
const PER_REQUEST = new Set(['date', 'x-request-id', 'x-ratelimit-reset']);

async function answerFor(email: string, index: number, payload: Record<string, unknown> = {}) {
  const response = await api.app.inject({
    method: 'POST',
    url: '/v1/subscriptions',
    // A fresh client each time, so every rate-limit counter reads the same.
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${index + 1}` },
    payload: JSON.stringify({ email, topics: ['ai'], timezone: 'Europe/Paris', sendHour: 7, ...payload }),
  });
  const headers = Object.entries(response.headers).filter(([name]) => !PER_REQUEST.has(name));
  return { status: response.statusCode, body: response.body, headers: Object.fromEntries(headers) };
}

describe('sign-up tells nobody who subscribes', () => {
  it('answers new, pending, active, unsubscribed and erased addresses byte for byte alike', async () => {
    const answers = await Promise.all(
      Object.values(ADDRESSES).map((email, index) => answerFor(email, index)),
    );
    expect(answers[0]!.status).toBe(202);
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it('does the same work for each: every address gets a confirmation job, the mailer decides', async () => {
    const queued = await api.confirmationsQueued();
    for (const email of Object.values(ADDRESSES)) {
      const reader = await findSubscriberByEmail(api.pool, email);
      expect(queued.includes(reader!.id), email).toBe(true);
    }
  });

  it('answers invalid sign-ups alike too, known address or not', async () => {
    const answers = await Promise.all(
      Object.values(ADDRESSES).map((email, index) =>
        answerFor(email, 50 + index, { timezone: 'Nowhere/Land' }),
      ),
    );
    expect(answers[0]!.status).toBe(400);
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });
});
