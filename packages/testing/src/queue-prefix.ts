import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ prefix of this test file's own; remove() deletes every key under it. */
export function createTestQueuePrefix(label: string): { prefix: string; remove(): Promise<void> } {
  const prefix = `{test-${label}-${randomBytes(4).toString('hex')}}`;
  return {
    prefix,
    async remove() {
      const redis = new Redis(TEST_REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
