import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MailerMetrics {
  registry: Registry;
  /** Names the Grafana board reads (issue 8). */
  mailSent: Counter<'kind'>;
  mailFailed: Counter<'kind' | 'class'>;
  sendSeconds: Histogram<'kind'>;
  resentAfterCrash: Counter;
  uncertain: Counter;
  expired: Counter;
  breakerOpen: Gauge;
  /** Names from before issue 8, kept so existing dashboards keep working. */
  sent: Counter<'kind'>;
  skipped: Counter<'kind' | 'reason'>;
  failures: Counter<'kind' | 'permanent'>;
  sendDuration: Histogram<'kind'>;
}

export function createMailerMetrics(): MailerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_mailer_' });
  const registers = [registry];
  return {
    registry,
    mailSent: new Counter({
      name: 'paperboy_mail_sent_total',
      help: 'Messages the SMTP server (or the outbox) accepted, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    mailFailed: new Counter({
      name: 'paperboy_mail_failed_total',
      help: 'Failed send attempts by kind and class (recipient suppresses; every other class is about us or the server and is retried).',
      labelNames: ['kind', 'class'],
      registers,
    }),
    sendSeconds: new Histogram({
      name: 'paperboy_send_duration_seconds',
      help: 'Time from claim to the SMTP answer, by kind.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 2, 10, 60],
      registers,
    }),
    resentAfterCrash: new Counter({
      name: 'paperboy_deliveries_resent_after_crash_total',
      help: 'Digests sent again (same Message-ID) because the mailer that claimed them died before recording the outcome.',
      registers,
    }),
    uncertain: new Counter({
      name: 'paperboy_deliveries_uncertain_total',
      help: 'Digests whose outcome is unknown (claimant died) recorded uncertain instead of resent (ON_UNCERTAIN=skip, or past their day).',
      registers,
    }),
    expired: new Counter({
      name: 'paperboy_deliveries_expired_total',
      help: "Digests not sent because the reader's local day passed first.",
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'paperboy_send_breaker_open',
      help: '1 while this mailer has paused sending because most recent sends failed about us or the server.',
      registers,
    }),
    sent: new Counter({
      name: 'paperboy_mails_sent_total',
      help: 'Messages handed to SMTP (or the outbox), by kind.',
      labelNames: ['kind'],
      registers,
    }),
    skipped: new Counter({
      name: 'paperboy_mails_skipped_total',
      help: 'Sends that were not needed (already sent, suppressed, unsubscribed, expired), by kind and reason.',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    failures: new Counter({
      name: 'paperboy_mail_failures_total',
      help: 'Failed send attempts; permanent=true are recipient rejections that suppress the address.',
      labelNames: ['kind', 'permanent'],
      registers,
    }),
    sendDuration: new Histogram({
      name: 'paperboy_mail_send_duration_seconds',
      help: 'Time to build and hand over one message.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 2],
      registers,
    }),
  };
}
