import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  deliveriesPlanned: Counter;
  deliveriesRequeued: Counter;
  expired: Counter;
  uncertain: Counter;
  schedulersRecreated: Counter<'scheduler'>;
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
    deliveriesRequeued: new Counter({
      name: 'paperboy_deliveries_requeued_total',
      help: 'Unfinished deliveries whose job was gone (Redis wiped, crash) and that planning queued again.',
      registers: [registry],
    }),
    expired: new Counter({
      name: 'paperboy_deliveries_expired_total',
      help: "Digests not sent because the reader's local day passed first.",
      registers: [registry],
    }),
    uncertain: new Counter({
      name: 'paperboy_deliveries_uncertain_total',
      help: 'Digests past their day whose mailer died mid-send: outcome unknown, recorded uncertain.',
      registers: [registry],
    }),
    schedulersRecreated: new Counter({
      name: 'paperboy_job_schedulers_recreated_total',
      help: 'Job schedulers found missing in Redis (wiped) and created again, by scheduler id.',
      labelNames: ['scheduler'],
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
