import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface MailerMetrics {
  registry: Registry;
  sent: Counter<'kind'>;
  skipped: Counter<'kind' | 'reason'>;
  failures: Counter<'kind' | 'permanent'>;
  sendDuration: Histogram<'kind'>;
}

export function createMailerMetrics(): MailerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_mailer_' });
  return {
    registry,
    sent: new Counter({
      name: 'paperboy_mails_sent_total',
      help: 'Messages handed to SMTP (or the outbox), by kind.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    skipped: new Counter({
      name: 'paperboy_mails_skipped_total',
      help: 'Sends that were not needed (already sent, suppressed, unsubscribed), by kind and reason.',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'paperboy_mail_failures_total',
      help: 'Failed send attempts; permanent=true are 5xx rejections that suppress the address.',
      labelNames: ['kind', 'permanent'],
      registers: [registry],
    }),
    sendDuration: new Histogram({
      name: 'paperboy_mail_send_duration_seconds',
      help: 'Time to build and hand over one message.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 2],
      registers: [registry],
    }),
  };
}
