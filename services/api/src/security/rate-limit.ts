import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { batchedRateLimitStore } from './rate-limit-store.ts';
import { createCounterBatcher } from './redis-counters.ts';

// Probes come from the platform, often many a second; limiting them would fail pods. (Metrics are
// not on this port at all: see the ops server in server.ts.)
const UNLIMITED_ROUTES = new Set(['/healthz', '/readyz']);

function tooMany(after: string): Error & { statusCode: number } {
  return Object.assign(new Error(`too many requests; try again in ${after}`), { statusCode: 429 });
}

/**
 * A per-IP limit on every request, unknown URLs included, counted in Redis so every api replica
 * shares one budget. It runs as the app's own onRequest hook, ahead of every route's hooks, so
 * requests that the admin or reader gates turn away are counted too.
 */
export async function registerRateLimits(app: App, deps: ApiDeps): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    max: deps.config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Every limiter of the app counts in Redis through one batching store: one script call per
    // turn of the event loop for all of them (rate-limit-store.ts).
    store: batchedRateLimitStore(
      createCounterBatcher(deps.rateLimitRedis),
      `${deps.config.rateLimitPrefix}ip:`,
    ),
    // A Redis outage should not take sign-ups and unsubscribes down with it.
    skipOnError: true,
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) => tooMany(context.after),
  });
  app.addHook('onRequest', app.rateLimit());
}

/** A limiter keyed by something other than the IP (e.g. the address being signed up). */
export function keyedLimiter(
  app: App,
  options: { name: string; max: number; timeWindowMs: number; key: (value: string) => string },
) {
  // The limiter derives its key from the request; the value is handed over here, already normalised.
  const keys = new WeakMap<FastifyRequest, string>();
  const check = app.createRateLimit({
    max: options.max,
    timeWindow: options.timeWindowMs,
    keyGenerator: (request) => `${options.name}:${keys.get(request) ?? ''}`,
  });
  /** Counts one use for `value`; throws a 429 once the budget is spent. */
  return async (request: FastifyRequest, reply: FastifyReply, value: string): Promise<void> => {
    keys.set(request, options.key(value));
    const result = await check(request);
    if (!result.isAllowed && result.isExceeded) {
      reply.header('retry-after', result.ttlInSeconds);
      throw tooMany(`${result.ttlInSeconds} seconds`);
    }
  };
}
