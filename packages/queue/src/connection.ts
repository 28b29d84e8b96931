import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis connection fit for BullMQ: blocking commands must be allowed to wait forever. ioredis
 * reconnects with backoff on its own; `onError` hears each failed attempt (a lost Redis is
 * weather, not death), so nothing is printed outside the JSON log.
 */
export function createRedisConnection(redisUrl: string, onError?: (error: Error) => void): Redis {
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  if (onError) redis.on('error', onError);
  return redis;
}
