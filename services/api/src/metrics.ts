import type { PaperboyQueues } from '@paperboy/queue';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { App } from './app.ts';

/** The api's registry also reports queue depths, so one scrape target shows the backlog. */
export function createApiMetrics(queues: PaperboyQueues): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_api_' });
  new Gauge({
    name: 'paperboy_queue_jobs',
    help: 'Jobs per queue and state, read from Redis at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
      }
    },
  });
  return registry;
}

export function instrumentRequests(app: App, registry: Registry): void {
  const requests = new Counter({
    name: 'paperboy_http_requests_total',
    help: 'HTTP requests by route and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'paperboy_http_request_duration_seconds',
    help: 'HTTP request duration by route.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  // A callback hook, not an async one: it runs on every answer, and a promise each is measurable.
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL: tokens in paths must not become label values.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}
