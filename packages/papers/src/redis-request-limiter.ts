import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { ARXIV_INTERVAL_MS, type RequestLimiter, sleep } from './request-limiter.ts';

// Both scripts read the clock with Redis TIME, so workers on machines with skewed clocks still
// agree on "next allowed at". Returns 0 when the caller now holds the lock, else ms to wait.
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextAt then return nextAt - now end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`;

// "Next allowed at" is pushed even when our lock already expired: the request still happened.
const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[2])
local nextAt = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now + interval)
redis.call('SET', KEYS[2], nextAt, 'PX', nextAt - now + 1000)
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

export interface RedisRequestLimiterOptions {
  /** One Redis server or a Cluster (both keys share the prefix's hash tag, so one slot). */
  redis: Redis | Cluster;
  /**
   * Keys are `${keyPrefix}:lock` and `${keyPrefix}:next-at`; every worker that must share the
   * budget uses the same prefix. On Redis Cluster put a hash tag in it (`{paperboy}:arxiv`)
   * so both keys live in one slot, as the scripts require.
   */
  keyPrefix: string;
  /** Minimum gap between the end of one request and the start of the next, across processes. */
  intervalMs?: number;
  /**
   * The lock expires this long after its holder stops renewing it (the holder renews every
   * third of it), so a crashed worker blocks the others for at most this long.
   */
  lockTtlMs?: number;
  /** Longest single sleep while waiting, so a freed lock is noticed promptly. */
  maxPollMs?: number;
}

/**
 * One request at a time, spaced by `intervalMs`, across every process sharing the Redis and
 * key prefix. The gap is measured from the end of one request to the start of the next, which
 * is stricter than arXiv's "one request every 3 seconds" and never looser.
 */
export class RedisRequestLimiter implements RequestLimiter {
  readonly intervalMs: number;
  private readonly redis: Redis | Cluster;
  private readonly lockKey: string;
  private readonly nextAtKey: string;
  private readonly lockTtlMs: number;
  private readonly maxPollMs: number;

  constructor(options: RedisRequestLimiterOptions) {
    if (options.keyPrefix.trim() === '') throw new Error('RedisRequestLimiter needs a keyPrefix');
    this.redis = options.redis;
    this.lockKey = `${options.keyPrefix}:lock`;
    this.nextAtKey = `${options.keyPrefix}:next-at`;
    this.intervalMs = options.intervalMs ?? ARXIV_INTERVAL_MS;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.maxPollMs = options.maxPollMs ?? Math.max(50, Math.min(this.intervalMs, 1000));
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    await this.acquire(token);
    const renew = setInterval(() => {
      this.redis.eval(EXTEND_SCRIPT, 1, this.lockKey, token, String(this.lockTtlMs)).catch(() => undefined);
    }, this.lockTtlMs / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE_SCRIPT, 2, this.lockKey, this.nextAtKey, token, String(this.intervalMs));
    }
  }

  /** The keys this limiter uses, for cleanup in tests and operators' tooling. */
  keys(): [lock: string, nextAt: string] {
    return [this.lockKey, this.nextAtKey];
  }

  private async acquire(token: string): Promise<void> {
    for (;;) {
      const waitMs = Number(
        await this.redis.eval(ACQUIRE_SCRIPT, 2, this.lockKey, this.nextAtKey, token, String(this.lockTtlMs)),
      );
      if (waitMs === 0) return;
      // Jitter keeps several waiting workers from polling Redis in lockstep.
      await sleep(Math.min(waitMs, this.maxPollMs) + Math.floor(Math.random() * 10));
    }
  }
}
