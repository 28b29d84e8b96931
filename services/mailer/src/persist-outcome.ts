import type { Logger } from '@paperboy/runtime';

/** How long a mailer that was told to stop keeps trying to record an outcome it already knows. */
export const RECORD_GRACE_AFTER_STOP_MS = 20_000;

export interface Lifecycle {
  /** When close() began (ms since epoch), or null while running. */
  stoppingSince: number | null;
}

/**
 * Writes an outcome SMTP already decided (a 250, or a failure that gives the claim back) until it
 * lands, with backoff, across a database outage: the outcome is kept here, in memory, and never
 * found out again by sending again. Once the mailer is stopping it tries for a bounded time; if
 * the database is still away then, the lease expires and the delivery is resent with the same
 * Message-ID (counted as resent-after-crash).
 */
export async function persistOutcome(
  what: string,
  write: () => Promise<void>,
  context: { logger: Logger; lifecycle: Lifecycle; deliveryId: string },
): Promise<boolean> {
  let delayMs = 200;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      if (attempt > 1)
        context.logger.info({ deliveryId: context.deliveryId, attempt }, `${what} recorded at last`);
      return true;
    } catch (error) {
      const stoppingSince = context.lifecycle.stoppingSince;
      if (stoppingSince !== null && Date.now() - stoppingSince > RECORD_GRACE_AFTER_STOP_MS) {
        context.logger.error(
          { deliveryId: context.deliveryId, err: error },
          `${what} could not be recorded before shutdown; the lease will expire and the digest be resent with the same Message-ID`,
        );
        return false;
      }
      if (attempt === 1 || attempt % 20 === 0) {
        context.logger.warn(
          { deliveryId: context.deliveryId, attempt, err: error },
          `${what} not recorded yet (database unavailable?); keeping it and retrying`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}
