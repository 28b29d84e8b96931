/**
 * At most `size` sends in flight per mailer, one per pooled SMTP connection. A send claims its
 * delivery only once it holds a slot, so no claimed send waits in nodemailer's own queue for a
 * free connection: the lease covers the send itself, whose length the transport's timeouts bound.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
