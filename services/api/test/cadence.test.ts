import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './support/api-harness.ts';

const asReader = (token: string) => ({ authorization: `Bearer ${token}` });

describe('daily or weekly, through the API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('cadence');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lets a reader switch to weekly on a weekday and back, and shows it to them and to operators', async () => {
    const reader = await api.seed('weekly.me@example.org');
    const headers = asReader(api.token(reader, 'manage'));
    const me = await api.app.inject({ method: 'GET', url: '/v1/subscriptions/me', headers });
    expect(me.json()).toMatchObject({ cadence: 'daily', weekday: 1 });

    const weekly = await api.app.inject({
      method: 'PATCH',
      url: '/v1/subscriptions/me',
      headers,
      payload: { cadence: 'weekly', weekday: 5 },
    });
    expect(weekly.statusCode).toBe(200);
    expect(weekly.json()).toMatchObject({ cadence: 'weekly', weekday: 5 });

    const listing = await api.app.inject({
      method: 'GET',
      url: '/v1/admin/subscribers?q=weekly.me',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(listing.json().items).toEqual([expect.objectContaining({ cadence: 'weekly', weekday: 5 })]);

    const daily = await api.app.inject({
      method: 'PATCH',
      url: '/v1/subscriptions/me',
      headers,
      payload: { cadence: 'daily' },
    });
    expect(daily.json()).toMatchObject({ cadence: 'daily', weekday: 5 });
  });

  it('says what is wrong with a cadence or weekday, and asks for the weekday of a weekly digest', async () => {
    const reader = await api.seed('bad.cadence@example.org');
    const headers = asReader(api.token(reader, 'manage'));
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ cadence: 'monthly' }, /body\.cadence/],
      [{ cadence: 'weekly' }, /body\.weekday is required for a weekly digest/],
      [{ cadence: 'weekly', weekday: 8 }, /body\.weekday/],
      [{ weekday: 0 }, /body\.weekday/],
    ];
    for (const [payload, message] of cases) {
      const answer = await api.app.inject({ method: 'PATCH', url: '/v1/subscriptions/me', headers, payload });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().message).toMatch(message);
    }
    const signup = await api.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      payload: { email: 'new.weekly@example.org', cadence: 'weekly' },
    });
    expect(signup.statusCode).toBe(400);
    expect(signup.json().message).toMatch(/body\.weekday is required/);
  });

  it('signs a new reader up for a weekly digest on the weekday they chose', async () => {
    const signup = await api.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      payload: { email: 'sunday.reader@example.org', cadence: 'weekly', weekday: 7, sendHour: 9 },
    });
    expect(signup.statusCode).toBe(202);
    const { rows } = await api.pool.query('SELECT cadence, weekday FROM subscribers WHERE email = $1', [
      'sunday.reader@example.org',
    ]);
    expect(rows).toEqual([{ cadence: 'weekly', weekday: 7 }]);
  });
});
