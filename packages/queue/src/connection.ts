import { Redis } from 'ioredis';

export type { Redis };

/** A Redis connection fit for BullMQ: blocking commands must be allowed to wait forever. */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
