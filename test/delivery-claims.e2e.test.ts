import { emailHash } from '@paperboy/db';
import { sendDigest } from '@paperboy/mailer';
import { composeDigests } from '@paperboy/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const TODAY = '2026-11-30';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
}

// These tests drive the send handler directly, as a second mailer (or a stalled job's retry)
// would, against the real stack's Postgres and SMTP sink.
describe('claim before send: one mailer sends each digest, a crash is healed with the same Message-ID', () => {
  let stack: Stack;
  let readerCount = 0;

  beforeAll(async () => {
    stack = await startStack('claims', {
      env: {
        CLOCK_START: `${TODAY}T12:00:00Z`,
        SEND_BACKOFF_MS: '200',
        ADMIN_TOKEN: 'admin-token-for-claims-test',
      },
    });
    // Sends are driven by hand in these tests; the queue only carries them where a test says so.
    await stack.mailer!.deps.emailQueue.pause();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const pool = () => stack.api.deps.pool;
  const mailer = () => stack.mailer!.deps;

  /** A reader with a composed digest for today, composed by the real worker. */
  async function composedDelivery(): Promise<{ id: string; email: string }> {
    readerCount += 1;
    const email = `claims${readerCount}@example.org`;
    const { rows } = await pool().query<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, status) VALUES ($1, $2, 'active') RETURNING id`,
      [email, emailHash(email)],
    );
    const delivery = await pool().query<{ id: string }>(
      `INSERT INTO deliveries (subscriber_id, local_date) VALUES ($1, $2) RETURNING id`,
      [rows[0]!.id, TODAY],
    );
    const id = delivery.rows[0]!.id;
    await composeDigests(stack.workers[0]!.deps, [id]);
    return { id, email };
  }

  async function row(id: string) {
    const { rows } = await pool().query<{
      status: string;
      resent_after_crash: number;
      message_id: string | null;
      lease_owner: string | null;
    }>('SELECT status, resent_after_crash, message_id, lease_owner FROM deliveries WHERE id = $1', [id]);
    return rows[0]!;
  }

  const mailsTo = (email: string) =>
    stack.sink.messages.filter((mail) => isDigest(mail) && mail.envelopeTo.includes(email));

  it('sends once when two mailers take the same delivery at the same moment', async () => {
    const { id, email } = await composedDelivery();
    const results = await Promise.all([
      sendDigest({ ...mailer(), instance: 'mailer-a' }, id),
      sendDigest({ ...mailer(), instance: 'mailer-b' }, id),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['busy', 'sent'].sort());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(email)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', resent_after_crash: 0 });
    // A retry after it was recorded finds it sent and sends nothing.
    expect(await sendDigest(mailer(), id)).toEqual({ status: 'skipped', reason: 'already-sent' });
  });

  it('leaves a delivery alone while another mailer holds a running lease', async () => {
    const { id, email } = await composedDelivery();
    await pool().query(
      `UPDATE deliveries SET status = 'sending', lease_owner = 'someone-else', lease_until = $2 WHERE id = $1`,
      [id, new Date(Date.parse(`${TODAY}T12:00:00Z`) + 3_600_000).toISOString()],
    );
    expect(await sendDigest(mailer(), id)).toMatchObject({ status: 'busy' });
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('resends a digest whose mailer died mid-send once, with the same Message-ID, and counts it', async () => {
    const { id, email } = await composedDelivery();
    // What a mailer killed between claim and record leaves behind: `sending`, lease run out.
    await pool().query(
      `UPDATE deliveries SET status = 'sending', lease_owner = 'dead-mailer', lease_until = $2 WHERE id = $1`,
      [id, `${TODAY}T11:00:00Z`],
    );
    const result = await sendDigest(mailer(), id);
    expect(result).toMatchObject({ status: 'sent', resentAfterCrash: true });
    const mails = await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes(email));
    expect(mails[0]!.parsed.messageId).toBe(`<${id}.digest@paperboy.localhost>`);
    expect(await row(id)).toMatchObject({ status: 'sent', resent_after_crash: 1 });
    const metrics = await mailer().metrics.registry.getSingleMetricAsString(
      'paperboy_deliveries_resent_after_crash_total',
    );
    expect(metrics).toMatch(/paperboy_deliveries_resent_after_crash_total 1\b/);

    // Operators see it in the admin API.
    const headers = { authorization: `Bearer ${stack.config.adminToken}` };
    const summary = await fetch(`${stack.api.address}/v1/admin/deliveries/summary?date=${TODAY}`, {
      headers,
    });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ date: TODAY, resentAfterCrash: 1 });
    const resent = await fetch(`${stack.api.address}/v1/admin/deliveries?date=${TODAY}&resent=true`, {
      headers,
    });
    const page = (await resent.json()) as { items: { id: string; resentAfterCrash: number }[] };
    expect(page.items).toEqual([expect.objectContaining({ id, resentAfterCrash: 1 })]);
    const bad = await fetch(`${stack.api.address}/v1/admin/deliveries?date=yesterday`, { headers });
    expect(bad.status).toBe(400);
  });

  it("records a dead mailer's send as uncertain instead of resending it when ON_UNCERTAIN=skip", async () => {
    const { id, email } = await composedDelivery();
    await pool().query(
      `UPDATE deliveries SET status = 'sending', lease_owner = 'dead-mailer', lease_until = $2 WHERE id = $1`,
      [id, `${TODAY}T11:00:00Z`],
    );
    const atMostOnce = { ...mailer(), config: { ...mailer().config, onUncertain: 'skip' as const } };
    expect(await sendDigest(atMostOnce, id)).toEqual({ status: 'skipped', reason: 'uncertain' });
    expect(await row(id)).toMatchObject({ status: 'uncertain', resent_after_crash: 0 });
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('records sent after SMTP accepted even when the first write fails, without sending again', async () => {
    const { id, email } = await composedDelivery();
    // The database refuses the first two writes of `sent` (as it would mid-outage), then takes
    // it. A sequence counts the refusals: unlike a table, it is not rolled back with the error.
    await pool().query(`
      CREATE SEQUENCE refused_writes;
      CREATE FUNCTION refuse_sent_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'sent' AND nextval('refused_writes') <= 2 THEN
          RAISE EXCEPTION 'the ledger is away';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_sent BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION refuse_sent_once();
    `);
    try {
      expect(await sendDigest(mailer(), id)).toMatchObject({ status: 'sent' });
    } finally {
      await pool().query(
        'DROP TRIGGER refuse_sent ON deliveries; DROP FUNCTION refuse_sent_once(); DROP SEQUENCE refused_writes',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(email)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', resent_after_crash: 0 });
  });

  it("records a digest whose reader's local day has passed as expired, and does not send it", async () => {
    const { id, email } = await composedDelivery();
    await pool().query(`UPDATE deliveries SET local_date = date '2026-11-29' WHERE id = $1`, [id]);
    expect(await sendDigest(mailer(), id)).toEqual({ status: 'skipped', reason: 'expired' });
    expect((await row(id)).status).toBe('expired');
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('finishes and records an in-flight send when told to stop (SIGTERM closes the mailer)', async () => {
    const { id, email } = await composedDelivery();
    stack.sink.delayAcceptMs(1_000);
    await mailer().emailQueue.add('send-digest', { deliveryId: id }, { jobId: `send-${id}` });
    await mailer().emailQueue.resume();
    await until(
      () => row(id),
      (delivery) => delivery.status === 'sending',
    );
    await stack.mailer!.close();
    expect(mailsTo(email)).toHaveLength(1);
    expect((await row(id)).status).toBe('sent');
    stack.sink.delayAcceptMs(0);
  });
});
