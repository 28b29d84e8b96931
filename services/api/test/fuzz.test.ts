import type { Subscriber } from '@paperboy/db';
import { seededRandom } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSubscribers, startTestApi, type TestApi, TOKEN_SECRET } from './support/api-harness.ts';
import { fuzzRequest } from './support/fuzz-requests.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_401);
const REQUESTS = 5_200;
const IN_FLIGHT = 16;

let api: TestApi;
let readers: Subscriber[];
beforeAll(async () => {
  // Limits far above the run's size: this test is about bad input; the limiter has its own test.
  api = await startTestApi('fuzz', {
    RATE_LIMIT_PER_MINUTE: '1000000',
    SIGNUPS_PER_IP_PER_HOUR: '1000000',
    SIGNUPS_PER_ADDRESS_PER_HOUR: '1000000',
    DATA_LINKS_PER_HOUR: '1000000',
  });
  readers = [
    await api.seed('active@example.org', 'active', { topics: ['graphs'] }),
    await api.seed('pending@example.org', 'pending'),
    await api.seed('left@example.org', 'unsubscribed'),
    await api.seed('paused@example.org', 'active', { timezone: 'Asia/Kolkata', sendHour: 23 }),
  ];
});
afterAll(async () => {
  await api?.close();
});

describe('fuzzing every public route with malformed requests', () => {
  it(`answers ${REQUESTS} of them without a 5xx or a stack trace, and changes no reader (seed ${SEED})`, async () => {
    const before = await snapshotSubscribers(api.pool);
    const suppressionsBefore = (await api.pool.query('SELECT * FROM suppressions ORDER BY email_hash')).rows;
    const random = seededRandom(SEED);
    const ctx = { random, secret: TOKEN_SECRET, readers, validToken: api.token };
    const statuses = new Map<number, number>();
    const failures: string[] = [];

    for (let sent = 0; sent < REQUESTS; sent += IN_FLIGHT) {
      const batch = Array.from({ length: IN_FLIGHT }, () => fuzzRequest(ctx));
      const answers = await Promise.all(batch.map(({ kind: _kind, ...request }) => api.app.inject(request)));
      answers.forEach((answer, index) => {
        const request = batch[index]!;
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        const isJson = String(answer.headers['content-type'] ?? '').startsWith('application/json');
        const problem =
          answer.statusCode >= 500
            ? 'a 5xx'
            : /at .+\.(ts|js):\d+|node_modules/.test(answer.body)
              ? 'a stack trace'
              : answer.statusCode >= 400 &&
                  isJson &&
                  answer.body &&
                  Object.keys(answer.json()).join() !== 'error,message'
                ? 'an error body other than {error, message}'
                : null;
        if (problem && failures.length < 10)
          failures.push(
            `${problem}: ${request.kind} ${request.method} ${String(request.url).slice(0, 120)} -> ${answer.statusCode} ${answer.body.slice(0, 200)}`,
          );
      });
    }

    expect(failures).toEqual([]);
    const fiveHundreds = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    expect(fiveHundreds).toBe(0);
    expect([...statuses.values()].reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(5_000);
    // The limits were raised for this run: a 429 would mean requests tested the limiter, not the routes.
    expect(statuses.get(429) ?? 0).toBe(0);
    expect(await snapshotSubscribers(api.pool)).toBe(before);
    expect((await api.pool.query('SELECT * FROM suppressions ORDER BY email_hash')).rows).toEqual(
      suppressionsBefore,
    );
    console.info(`fuzz seed ${SEED}: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  });
});
