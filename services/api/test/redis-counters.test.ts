import { randomBytes } from 'node:crypto';
import { createRedisConnection } from '@paperboy/queue';
import { TEST_REDIS_URL } from '@paperboy/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createCounterBatcher, type WindowCount } from '../src/security/redis-counters.ts';

const redis = createRedisConnection(TEST_REDIS_URL, undefined, { autoPipelining: true });
const prefix = `test-counters-${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function counting(countUse: ReturnType<typeof createCounterBatcher>) {
  return (key: string, windowMs: number) =>
    new Promise<WindowCount>((resolve, reject) =>
      countUse(prefix + key, windowMs, (error, result) =>
        error || !result ? reject(error) : resolve(result),
      ),
    );
}

describe('rate-limit counters batched per turn', () => {
  it('counts each use in order, as separate INCRs would, with one window per key', async () => {
    const count = counting(createCounterBatcher(redis));
    const sent = [count('a', 60_000), count('b', 5_000), count('a', 60_000), count('a', 60_000)];
    const [a1, b1, a2, a3] = await Promise.all(sent);
    expect([a1!.current, a2!.current, a3!.current, b1!.current]).toEqual([1, 2, 3, 1]);
    expect(a1!.ttl).toBe(60_000);
    expect(a3!.ttl).toBeGreaterThan(59_000);
    expect(b1!.ttl).toBe(5_000);
    expect(await redis.pttl(`${prefix}b`)).toBeGreaterThan(4_000);
  });

  it('shares counts with another process counting the same keys (two replicas)', async () => {
    const replicaA = counting(createCounterBatcher(redis));
    const other = createRedisConnection(TEST_REDIS_URL);
    try {
      const replicaB = counting(createCounterBatcher(other));
      const counts = await Promise.all([replicaA('shared', 60_000), replicaB('shared', 60_000)]);
      expect(counts.map((count) => count.current).sort()).toEqual([1, 2]);
      expect((await replicaB('shared', 60_000)).current).toBe(3);
    } finally {
      await other.quit();
    }
  });

  it('fails every caller of a call that fails', async () => {
    const count = counting(createCounterBatcher(redis));
    await redis.set(`${prefix}not-a-number`, 'text');
    const results = await Promise.allSettled([count('not-a-number', 60_000), count('fine', 60_000)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
