import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  deliveriesPlanned: Counter;
  digestsComposed: Counter<'outcome'>;
  editionsRendered: Counter;
  jobDuration: Histogram<'job'>;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_worker_' });
  return {
    registry,
    deliveriesPlanned: new Counter({
      name: 'paperboy_deliveries_planned_total',
      help: 'Delivery rows created by planning (one per reader and local date).',
      registers: [registry],
    }),
    digestsComposed: new Counter({
      name: 'paperboy_digests_composed_total',
      help: 'Compose jobs by outcome (composed, skipped-nothing-new, skipped-not-active, already-done).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    editionsRendered: new Counter({
      name: 'paperboy_editions_rendered_total',
      help: 'Editions rendered; readers sharing a selection share one edition, so this stays far below composed.',
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'paperboy_worker_job_duration_seconds',
      help: 'Time spent processing a job, by job name.',
      labelNames: ['job'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
  };
}
