import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessRequestLimiter, RedisRequestLimiter, type RequestLimiter } from '../src/index.ts';

const INTERVAL_MS = 200;
const prefix = `test:papers:${process.pid}:${Date.now()}`;

interface Span {
  worker: string;
  start: number;
  end: number;
}

/** Fire `callsPerWorker` requests from each worker at once and record when each one ran. */
async function race(workers: Record<string, RequestLimiter>, callsPerWorker: number): Promise<Span[]> {
  const spans: Span[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  await Promise.all(
    Object.entries(workers).flatMap(([worker, limiter]) =>
      Array.from({ length: callsPerWorker }, () =>
        limiter.run(async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const start = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 20));
          const end = Date.now();
          inFlight--;
          spans.push({ worker, start, end });
        }),
      ),
    ),
  );
  expect(maxInFlight).toBe(1);
  return spans.sort((a, b) => a.start - b.start);
}

function expectSerialAndSpaced(spans: Span[], intervalMs: number): void {
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1]!;
    const current = spans[i]!;
    // Gap from the end of one request to the start of the next: no overlap, and arXiv's pause.
    expect(current.start - previous.end).toBeGreaterThanOrEqual(intervalMs);
  }
}

describe('RedisRequestLimiter', () => {
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  let admin: Redis;

  beforeAll(() => {
    admin = connect();
  });

  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  it('serialises two workers and spaces their requests by the interval', async () => {
    const keyPrefix = `${prefix}:race`;
    const spans = await race(
      {
        'worker-a': new RedisRequestLimiter({ redis: connect(), keyPrefix, intervalMs: INTERVAL_MS }),
        'worker-b': new RedisRequestLimiter({ redis: connect(), keyPrefix, intervalMs: INTERVAL_MS }),
      },
      3,
    );
    expect(spans).toHaveLength(6);
    expect(new Set(spans.map((span) => span.worker))).toEqual(new Set(['worker-a', 'worker-b']));
    expectSerialAndSpaced(spans, INTERVAL_MS);
  });

  it('lets the next request through after a failed one, still spaced', async () => {
    const limiter = new RedisRequestLimiter({
      redis: connect(),
      keyPrefix: `${prefix}:failure`,
      intervalMs: INTERVAL_MS,
    });
    let failedAt = 0;
    await expect(
      limiter.run(async () => {
        failedAt = Date.now();
        throw new Error('arXiv said no');
      }),
    ).rejects.toThrow('arXiv said no');
    const startedAt = await limiter.run(async () => Date.now());
    expect(startedAt - failedAt).toBeGreaterThanOrEqual(INTERVAL_MS);
  });

  it('recovers from a worker that died holding the lock once the lock expires', async () => {
    const keyPrefix = `${prefix}:crash`;
    const limiter = new RedisRequestLimiter({ redis: connect(), keyPrefix, intervalMs: INTERVAL_MS });
    const [lockKey] = limiter.keys();
    await admin.set(lockKey, 'dead-worker', 'PX', 300);
    const before = Date.now();
    const startedAt = await limiter.run(async () => Date.now());
    expect(startedAt - before).toBeGreaterThanOrEqual(250);
    expect(await admin.exists(lockKey)).toBe(0);
  });

  it('refuses an empty key prefix, which would let unrelated limiters collide', () => {
    expect(() => new RedisRequestLimiter({ redis: admin, keyPrefix: ' ' })).toThrow(/keyPrefix/);
  });
});

describe('InProcessRequestLimiter', () => {
  it('serialises concurrent calls and spaces them by the interval', async () => {
    const limiter = new InProcessRequestLimiter({ intervalMs: 50 });
    const spans = await race({ only: limiter }, 4);
    expectSerialAndSpaced(spans, 50);
  });

  it('keeps going after a failed call', async () => {
    const limiter = new InProcessRequestLimiter({ intervalMs: 0 });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});
