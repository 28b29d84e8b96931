import { recordSentMany } from '@paperboy/db';
import type { MailerDeps } from './deps.ts';
import { persistOutcome } from './persist-outcome.ts';

interface PendingSent {
  deliveryId: string;
  messageId: string;
  recorded: () => void;
}

/**
 * Records `sent` the moment each 250 arrives, in groups: 250s that come in while a write is in
 * flight go together in the next one statement. The window in which a crash loses a 250 (and the
 * digest goes again after the lease, with the same Message-ID) stays about one write long, as with
 * a statement per message, however many sends a chunk has in flight.
 */
export class SentRecorder {
  private pending: PendingSent[] = [];
  private writing = false;

  constructor(private readonly deps: Pick<MailerDeps, 'pool' | 'clock' | 'logger' | 'lifecycle'>) {}

  /** Resolves once the delivery reads `sent` (or the mailer gave up at shutdown; see persistOutcome). */
  record(deliveryId: string, messageId: string): Promise<void> {
    return new Promise((recorded) => {
      this.pending.push({ deliveryId, messageId, recorded });
      if (!this.writing) void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        const { deps } = this;
        await persistOutcome('sent', () => recordSentMany(deps.pool, group, deps.clock.now()), {
          logger: deps.logger,
          lifecycle: deps.lifecycle,
          deliveryId: group.map((entry) => entry.deliveryId).join(','),
        });
        for (const entry of group) entry.recorded();
      }
    } finally {
      this.writing = false;
    }
  }
}
