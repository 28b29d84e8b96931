import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createQueues } from '@paperboy/queue';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(`${root}infra/grafana/paperboy.json`, 'utf8')) as {
  uid: string;
  panels: Panel[];
};

// Never connects: the api's registry takes queues only to read depths at scrape time, which this
// test does not do. Listing a registry's metrics runs no collect().
const idleRedis = new Redis({ lazyConnect: true });
const queues = createQueues(idleRedis, { queuePrefix: '{grafana-test}' });

/**
 * Every metric name the services register, found the way Prometheus would see them: each
 * service's metrics module builds its registry, and the registry lists what it holds.
 */
async function registeredMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  const services = readdirSync(`${root}services`).filter((service) =>
    readdirSync(`${root}services/${service}/src`).includes('metrics.ts'),
  );
  expect(services.sort()).toEqual(['api', 'mailer', 'worker']);
  for (const service of services) {
    const module = (await import(`${root}services/${service}/src/metrics.ts`)) as Record<string, unknown>;
    const factories = Object.entries(module).filter(
      ([name, value]) => /^create\w*Metrics$/.test(name) && typeof value === 'function',
    );
    expect(factories.length, `services/${service}/src/metrics.ts exports a create…Metrics factory`).toBe(1);
    const made = (factories[0]![1] as (queues: unknown) => unknown)(queues);
    const registry = made instanceof Registry ? made : (made as { registry: Registry }).registry;
    // The api counts requests with hooks on its fastify app; a bare app registers the same metrics.
    if (typeof module.instrumentRequests === 'function')
      (module.instrumentRequests as (app: unknown, registry: Registry) => void)(Fastify(), registry);
    for (const metric of registry.getMetricsAsArray()) {
      names.add(metric.name);
      // Histograms and summaries are queried by their series.
      const type = (metric as unknown as { type?: string }).type;
      if (type === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(metric.name + suffix);
    }
  }
  return names;
}

/** The metric names a PromQL expression reads: paperboy's all start with paperboy_ (label values are quoted). */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/\bpaperboy_[a-z0-9_]+\b/g)].map((match) => match[0]);
}

describe('the Grafana dashboard (infra/grafana/paperboy.json)', () => {
  afterAll(async () => {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    idleRedis.disconnect();
  });

  it('has the panels an operator looks for first', () => {
    expect(dashboard.uid).toBe('paperboy-ops');
    expect(dashboard.panels.map((panel) => panel.title)).toEqual(
      expect.arrayContaining([
        'Send breaker',
        'Uncertain (24 h)',
        'Mails sent per minute',
        'Failed sends per minute',
        'Queue depth',
        'Send latency',
      ]),
    );
  });

  it('queries only metrics the services register', async () => {
    const registered = await registeredMetricNames();
    const unknown: string[] = [];
    for (const panel of dashboard.panels) {
      expect(panel.targets?.length, `panel "${panel.title}" has a query`).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        const used = metricsIn(target.expr);
        expect(used.length, `"${target.expr}" names a metric`).toBeGreaterThan(0);
        for (const name of used) if (!registered.has(name)) unknown.push(`${panel.title}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
