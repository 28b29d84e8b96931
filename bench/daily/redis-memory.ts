import type { Redis } from '@paperboy/queue';

/** One field of an INFO section's `name:value` lines. */
export function infoField(info: string, name: string): string | null {
  const match = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return match ? match[1]!.trim() : null;
}

export async function usedMemory(redis: Redis): Promise<{ used: number; peak: number }> {
  const info = await redis.info('memory');
  return {
    used: Number(infoField(info, 'used_memory')),
    peak: Number(infoField(info, 'used_memory_peak')),
  };
}

/** The pid of the redis-server the bench talks to (its CPU is measured from /proc). */
export async function redisPid(redis: Redis): Promise<number> {
  return Number(infoField(await redis.info('server'), 'process_id'));
}

export async function redisVersion(redis: Redis): Promise<string> {
  return infoField(await redis.info('server'), 'redis_version') ?? 'unknown';
}

export interface MemoryWatch {
  /** Highest used_memory seen minus used_memory at the start, in bytes. */
  stop(): Promise<{ peakGrowth: number; serverPeak: number }>;
}

/**
 * used_memory_peak is the server's lifetime peak: the documented CONFIG RESETSTAT list does not
 * include it, and resetting a Redis that other people's tests share is not the bench's to do. So
 * the figure is the growth of used_memory over the run, sampled: server-wide still (their keys
 * count too), but only over the bench's minutes.
 */
export async function watchMemory(redis: Redis, intervalMs = 250): Promise<MemoryWatch> {
  const start = (await usedMemory(redis)).used;
  let highest = start;
  let sampling = false;
  const timer = setInterval(async () => {
    if (sampling) return;
    sampling = true;
    highest = Math.max(highest, (await usedMemory(redis).catch(() => ({ used: 0 }))).used);
    sampling = false;
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      const last = await usedMemory(redis);
      highest = Math.max(highest, last.used);
      return { peakGrowth: highest - start, serverPeak: last.peak };
    },
  };
}

/** Exact memory of every key under the prefix (MEMORY USAGE … SAMPLES 0): the bench's own share. */
export async function prefixMemory(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of found) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    for (const [, value] of (await pipeline.exec()) ?? []) bytes += Number(value ?? 0);
    keys += found.length;
  } while (cursor !== '0');
  return { keys, bytes };
}
