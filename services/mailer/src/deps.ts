import type { Config } from '@paperboy/config';
import type { Pool } from '@paperboy/db';
import type { Clock, Logger } from '@paperboy/runtime';
import type { Queue } from 'bullmq';
import type { EditionCache } from './edition-cache.ts';
import type { MailerMetrics } from './metrics.ts';
import type { Lifecycle } from './persist-outcome.ts';
import type { SendBreaker } from './send-breaker.ts';
import type { SendSlots } from './send-slots.ts';
import type { SentRecorder } from './sent-recorder.ts';
import type { MailTransport } from './transport.ts';

export interface MailerDeps {
  config: Readonly<Config>;
  pool: Pool;
  transport: MailTransport;
  editions: EditionCache;
  logger: Logger;
  metrics: MailerMetrics;
  clock: Clock;
  /** Who this mailer is on a claimed delivery's row (host, pid, random). */
  instance: string;
  /** A claim lasts this long: longer than any send can take (see sendLeaseSeconds). */
  leaseSeconds: number;
  slots: SendSlots;
  /**
   * Batches sending at once. The pooled connections are shared by chunks of every batch, so a
   * few batches keep them busy; any more only interleave, and then every waiting batch's
   * editions must be in memory at once (the edition cache thrashed at 50).
   */
  batchTurns: SendSlots;
  /** Writes `sent` as each 250 arrives, grouping those that arrive during a write. */
  sentRecorder: SentRecorder;
  breaker: SendBreaker;
  /** The email queue, to back every mailer off at once after a 421. */
  emailQueue: Queue;
  lifecycle: Lifecycle;
}
