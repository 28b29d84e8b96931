import type { Redis } from '@paperboy/queue';
import type { Logger } from '@paperboy/runtime';
import type { Queue } from 'bullmq';
import type { FailureClass } from './smtp-failure.ts';

export interface BreakerOptions {
  queue: Queue;
  redis: Redis;
  /**
   * Redis key prefix: `<key>` (with a short TTL, refreshed while probing) says a mailer is probing;
   * `<key>:paused` says why the breaker paused the queue; every mailer's /readyz reads it.
   */
  key: string;
  /** Proves the server takes mail again (nodemailer's verify: connect, greet, authenticate). */
  probe: () => Promise<void>;
  logger: Logger;
  onChange: (open: boolean) => void;
  /** First probe delay; each failed probe doubles it, up to a minute. */
  baseDelayMs: number;
  /** Sends remembered; the breaker opens when most of them failed about us or the server. */
  window?: number;
  minSamples?: number;
  instance: string;
}

/**
 * When most recent sends fail about us or the server (wrong password, refused sender, server
 * down, 421 storm), retrying each reader's digest only hammers the server: the breaker pauses the
 * whole email queue (BullMQ's pause is shared by every mailer), says once, clearly, why, and
 * probes the server with backoff until it answers, then resumes by itself. Deliveries waiting in
 * the paused queue stay composed; nothing is failed and nobody is suppressed.
 */
export class SendBreaker {
  private readonly outcomes: boolean[] = [];
  private open = false;
  private watchdog: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly window: number;
  private readonly minSamples: number;

  constructor(private readonly options: BreakerOptions) {
    this.window = options.window ?? 20;
    this.minSamples = options.minSamples ?? 5;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** A send that reached the server's verdict on the reader (sent, or rejected for that reader). */
  recordSuccess(): void {
    this.remember(true);
  }

  /** A send that failed about us or the server. */
  recordFailure(failureClass: FailureClass, message: string): void {
    this.remember(false);
    const failures = this.outcomes.filter((ok) => !ok).length;
    if (!this.open && this.outcomes.length >= this.minSamples && failures * 2 > this.outcomes.length) {
      void this.trip(failureClass, message);
    }
  }

  /** Why sending is paused (shown on /readyz): this mailer's breaker, or another mailer's. */
  async cause(): Promise<string | null> {
    return this.options.redis.get(`${this.options.key}:paused`).catch(() => null);
  }

  /**
   * Every mailer watches: a queue left paused by a breaker whose mailer died (its probing key
   * expired) is resumed, so the pause never outlives the one probing. A pause an operator made
   * (no breaker marker) is left alone.
   */
  startWatchdog(everyMs = 10_000): void {
    this.watchdog = setInterval(() => void this.checkOrphanedPause(), everyMs);
    this.watchdog.unref();
  }

  /**
   * Stops probing and watching. A pause this mailer holds stays until its key expires; then
   * another mailer's watchdog resumes the queue and the next failures decide again.
   */
  stop(): void {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
  }

  private remember(ok: boolean): void {
    this.outcomes.push(ok);
    if (this.outcomes.length > this.window) this.outcomes.shift();
  }

  private async trip(failureClass: FailureClass, message: string): Promise<void> {
    this.open = true;
    this.options.onChange(true);
    const cause = `${failureClass}: ${message}`.slice(0, 500);
    this.options.logger.error(
      { failureClass, cause: message, instance: this.options.instance },
      `sending paused: most recent sends failed (${failureClass}); probing the SMTP server until it takes mail again`,
    );
    await this.holdKey(cause);
    await this.options.redis.set(`${this.options.key}:paused`, cause).catch(() => {});
    await this.options.queue.pause().catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'could not pause the email queue');
    });
    void this.probeUntilHealthy(cause);
  }

  private async holdKey(cause: string): Promise<void> {
    await this.options.redis.set(this.options.key, cause, 'PX', 75_000).catch(() => {});
  }

  private async probeUntilHealthy(cause: string): Promise<void> {
    let delayMs = this.options.baseDelayMs;
    while (!this.stopped) {
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      if (this.stopped) return;
      await this.holdKey(cause);
      try {
        await this.options.probe();
      } catch (error) {
        this.options.logger.warn(
          { err: error, nextProbeMs: Math.min(delayMs * 2, 60_000) },
          'SMTP server still failing; sending stays paused',
        );
        delayMs = Math.min(delayMs * 2, 60_000);
        continue;
      }
      try {
        await this.options.queue.resume();
        await this.options.redis.del(this.options.key, `${this.options.key}:paused`);
      } catch (error) {
        this.options.logger.warn(
          { err: error },
          'SMTP server is back but the queue could not be resumed yet',
        );
        continue;
      }
      this.outcomes.length = 0;
      this.open = false;
      this.options.onChange(false);
      this.options.logger.info('SMTP server answers again; sending resumed');
      return;
    }
  }

  private async checkOrphanedPause(): Promise<void> {
    if (this.open || this.stopped) return;
    try {
      const orphaned =
        (await this.cause()) !== null && (await this.options.redis.exists(this.options.key)) === 0;
      if (orphaned) {
        this.options.logger.warn('the email queue was left paused by a breaker nobody probes; resuming');
        await this.options.queue.resume();
        await this.options.redis.del(`${this.options.key}:paused`);
      }
    } catch {
      // Redis is away: the next check decides.
    }
  }
}
