/**
 * At most `size` sends in flight per mailer, one per pooled SMTP connection. A send claims its
 * delivery only once it holds a slot, so no claimed send waits in nodemailer's own queue for a
 * free connection: the lease covers the send itself, whose length the transport's timeouts bound.
 * A batch takes several slots at once (all or none, first come first served), so two batches
 * never each hold half the slots waiting for the rest.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: { count: number; grant: () => void }[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.runMany(1, work);
  }

  async runMany<T>(count: number, work: () => Promise<T>): Promise<T> {
    const wanted = Math.max(1, Math.min(count, this.size));
    if (this.waiting.length === 0 && this.free >= wanted) this.free -= wanted;
    else await new Promise<void>((grant) => this.waiting.push({ count: wanted, grant }));
    try {
      return await work();
    } finally {
      this.free += wanted;
      this.grantWaiting();
    }
  }

  private grantWaiting(): void {
    for (let next = this.waiting[0]; next && next.count <= this.free; next = this.waiting[0]) {
      this.waiting.shift();
      this.free -= next.count;
      next.grant();
    }
  }
}
