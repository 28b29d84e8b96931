import { emailHash } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
}

describe('a bad SMTP day never suppresses or fails readers, and heals by itself', () => {
  let stack: Stack;
  let day = 0;

  beforeAll(async () => {
    stack = await startStack('smtp_trouble', {
      sink: { auth: true },
      // Two BullMQ attempts: server trouble must outlast them without a single delivery failing.
      env: { CLOCK_START: '2026-11-01T12:00:00Z', SEND_BACKOFF_MS: '200', SEND_ATTEMPTS: '2' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const pool = () => stack.api.deps.pool;

  /** New readers, and a plan for a fresh day so only they (and nobody earlier) get a digest. */
  async function readersPlanned(prefix: string, count: number): Promise<string[]> {
    const emails = Array.from({ length: count }, (_, index) => `${prefix}${index}@example.org`);
    await pool().query(`UPDATE subscribers SET status = 'unsubscribed' WHERE status = 'active'`);
    await pool().query(
      `INSERT INTO subscribers (email, email_hash, status)
       SELECT email, hash, 'active' FROM unnest($1::text[], $2::text[]) AS t(email, hash)`,
      [emails, emails.map(emailHash)],
    );
    day += 1;
    await stack.plan(new Date(Date.UTC(2026, 10, day, 12)), true);
    return emails;
  }

  async function statuses(emails: string[]) {
    const { rows } = await pool().query<{ status: string; count: number }>(
      `SELECT d.status, count(*)::int AS count FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE s.email = ANY($1) GROUP BY d.status ORDER BY d.status`,
      [emails],
    );
    return rows;
  }

  async function suppressed(emails: string[]): Promise<number> {
    const { rows } = await pool().query<{ count: number }>(
      'SELECT count(*)::int AS count FROM suppressions WHERE email_hash = ANY($1)',
      [emails.map(emailHash)],
    );
    return rows[0]!.count;
  }

  const digestsTo = (emails: string[]) =>
    stack.sink.messages.filter(
      (mail) => isDigest(mail) && emails.some((email) => mail.envelopeTo.includes(email)),
    );

  it('pauses sending on a wrong SMTP password (535), suppresses nobody, and delivers everything once it is fixed', async () => {
    stack.sink.refuseLogins(true);
    const emails = await readersPlanned('wrong-password', 8);
    const queue = stack.mailer!.deps.emailQueue;
    expect(
      await until(
        () => queue.isPaused(),
        (paused) => paused,
      ),
    ).toBe(true);

    const readiness = await fetch(`http://127.0.0.1:${stack.mailer!.opsServer.port}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({
      ready: false,
      sending: 'paused',
      cause: expect.stringMatching(/^auth:/),
    });
    expect(await suppressed(emails)).toBe(0);
    expect((await statuses(emails)).map((row) => row.status)).not.toContain('failed');
    expect(digestsTo(emails)).toHaveLength(0);

    stack.sink.refuseLogins(false);
    await stack.sink.waitFor(
      (mail) => isDigest(mail) && emails.some((email) => mail.envelopeTo.includes(email)),
      8,
      60_000,
    );
    expect(
      await until(
        () => statuses(emails),
        (rows) => rows.length === 1 && rows[0]!.status === 'sent',
      ),
    ).toEqual([{ status: 'sent', count: 8 }]);
    expect(await queue.isPaused()).toBe(false);
    expect(await suppressed(emails)).toBe(0);
    expect(new Set(digestsTo(emails).flatMap((mail) => mail.envelopeTo)).size).toBe(8);
    expect(digestsTo(emails)).toHaveLength(8);
  });

  it('retries a message the server refuses at DATA (552 too large) instead of suppressing its reader', async () => {
    const emails = await readersPlanned('too-large', 1);
    stack.sink.rejectDataNext(1, 552, '552 5.3.4 Message too big for system');
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes(emails[0]!), 1, 30_000);
    expect(
      await until(
        () => statuses(emails),
        (rows) => rows[0]?.status === 'sent',
      ),
    ).toEqual([{ status: 'sent', count: 1 }]);
    expect(await suppressed(emails)).toBe(0);
    const failed = await stack.mailer!.deps.metrics.registry.getSingleMetricAsString(
      'paperboy_mail_failed_total',
    );
    expect(failed).toMatch(/class="size"/);
  });

  it('outlasts a 421 storm longer than the retry budget: nothing failed, all delivered once after it', async () => {
    stack.sink.rejectAllRecipients(421);
    const emails = await readersPlanned('storm', 4);
    await until(
      () => stack.mailer!.deps.metrics.registry.getSingleMetricAsString('paperboy_mail_failed_total'),
      (text) => /class="throttled"\} ([5-9]|\d\d)/.test(text),
    );
    expect((await statuses(emails)).map((row) => row.status)).not.toContain('failed');
    stack.sink.rejectAllRecipients(null);
    await stack.sink.waitFor(
      (mail) => isDigest(mail) && emails.some((email) => mail.envelopeTo.includes(email)),
      4,
      60_000,
    );
    expect(
      await until(
        () => statuses(emails),
        (rows) => rows.length === 1 && rows[0]!.status === 'sent',
      ),
    ).toEqual([{ status: 'sent', count: 4 }]);
    expect(digestsTo(emails)).toHaveLength(4);
    expect(await suppressed(emails)).toBe(0);
  });
});
