import { type Reply, type SessionSettings, SmtpSession } from './smtp-session.ts';

/** A session is retired after this many messages, as nodemailer's pool does (maxMessages). */
const MESSAGES_PER_SESSION = 1_000;

/**
 * At most `size` sessions, each sending one message at a time; a send waits for a free one. A
 * session that failed (timeout, closed, 421) is dropped and the next send opens a new one.
 */
export class SessionPool {
  private readonly idle: SmtpSession[] = [];
  private open = 0;
  private readonly waiting: ((session: SmtpSession | null) => void)[] = [];
  private closed = false;

  constructor(
    private readonly settings: SessionSettings,
    private readonly size: number,
  ) {}

  async send(envelope: { from: string; to: string }, message: readonly Buffer[]): Promise<Reply> {
    const session = await this.acquire();
    try {
      return await session.send(envelope, message);
    } finally {
      this.release(session);
    }
  }

  private async acquire(): Promise<SmtpSession> {
    if (this.closed) throw new Error('the SMTP pool is closed');
    for (let session = this.idle.pop(); session; session = this.idle.pop()) {
      if (session.usable) return session;
      this.open -= 1;
    }
    if (this.open < this.size) {
      this.open += 1;
      try {
        return await SmtpSession.open(this.settings);
      } catch (error) {
        this.open -= 1;
        this.wakeOne();
        throw error;
      }
    }
    const handed = await new Promise<SmtpSession | null>((resolve) => this.waiting.push(resolve));
    return handed ?? this.acquire();
  }

  private release(session: SmtpSession): void {
    if (!session.usable || session.sent >= MESSAGES_PER_SESSION || this.closed) {
      session.close();
      this.open -= 1;
      this.wakeOne();
      return;
    }
    const next = this.waiting.shift();
    if (next) next(session);
    else this.idle.push(session);
  }

  /** A waiter is told to try again (it may open the session that just went away). */
  private wakeOne(): void {
    this.waiting.shift()?.(null);
  }

  close(): void {
    this.closed = true;
    for (const session of this.idle.splice(0)) session.close();
    for (const waiter of this.waiting.splice(0)) waiter(null);
  }
}
