import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { WindowCountCallback } from './redis-counters.ts';

type CountUse = (key: string, windowMs: number, callback: WindowCountCallback) => void;

/** What @fastify/rate-limit hands a store's child(): the merged limiter options, routeInfo among them. */
interface ChildOptions {
  routeInfo?: { method?: string; url?: string };
}

/**
 * @fastify/rate-limit's store, counting through `countUse` (redis-counters.ts: one Redis script
 * call per turn for every counter) instead of one Redis call per counter. Keys are spelled as
 * the plugin's own RedisStore spells them, children included, so replicas running the previous
 * release during a rolling deploy share the same budgets.
 */
export function batchedRateLimitStore(countUse: CountUse, nameSpace: string): FastifyRateLimitStoreCtor {
  class BatchedRateLimitStore implements FastifyRateLimitStore {
    // The plugin constructs the root store itself (with its options, which this ignores).
    prefix = nameSpace;

    incr(key: string, callback: WindowCountCallback, timeWindow: number): void {
      countUse(this.prefix + key, timeWindow, callback);
    }

    child(options: object): FastifyRateLimitStore {
      // As RedisStore.child; for limiters made by createRateLimit, routeInfo is empty and the
      // prefix gains RedisStore's literal "undefinedundefined-".
      const { routeInfo } = options as ChildOptions;
      const child = new BatchedRateLimitStore();
      child.prefix = `${this.prefix}${routeInfo?.method}${routeInfo?.url}-`;
      return child;
    }
  }
  return BatchedRateLimitStore;
}
