import { type Config, loadConfig } from '@paperboy/config';
import { findSuppression, listBounces, type Pool } from '@paperboy/db';
import { type MailRef, verpAddress } from '@paperboy/links';
import { createTestSchema, TEST_REDIS_URL, type TestSchema } from '@paperboy/testing';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBounces } from '../src/index.ts';
import { arf, dsn } from './reports.ts';

const SECRET = 'bounces-test-secret-bounces-test-secret';
const DOMAIN = 'paperboy.example';

let schema: TestSchema;
let config: Readonly<Config>;
let service: Awaited<ReturnType<typeof startBounces>>;
let pool: Pool;

beforeAll(async () => {
  schema = await createTestSchema('bounces_smtp');
  config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: schema.url,
    REDIS_URL: TEST_REDIS_URL,
    TOKEN_SECRET: SECRET,
    MAIL_FROM: `paperboy <digest@${DOMAIN}>`,
    BOUNCE_SMTP_PORT: '0',
    BOUNCES_METRICS_PORT: '0',
  });
  service = await startBounces(config);
  pool = service.pool;
});
afterAll(async () => {
  await service?.close();
  await schema?.drop();
});

async function reader(email: string): Promise<{ subscriberId: string; deliveryId: string }> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO subscribers (email, email_hash, status) VALUES ($1, encode(sha256(convert_to(lower($1), 'UTF8')), 'hex'), 'active')
     RETURNING id`,
    [email],
  );
  const subscriberId = rows[0]!.id;
  const delivery = await pool.query<{ id: string }>(
    `INSERT INTO deliveries (subscriber_id, local_date, status, message_id, sent_at)
     VALUES ($1, '2026-12-01', 'sent', $2, now()) RETURNING id`,
    [subscriberId, `<${subscriberId}.digest@${DOMAIN}>`],
  );
  return { subscriberId, deliveryId: delivery.rows[0]!.id };
}

/** Hands a raw report to the listener over real SMTP, from the null sender as bounces come. */
async function deliver(to: string, raw: string) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: service.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({ envelope: { from: '', to }, raw });
  } finally {
    transport.close();
  }
}

const verp = (ref: MailRef) => verpAddress(SECRET, ref, DOMAIN);
const bouncesOf = async (deliveryId: string) => (await listBounces(pool, { deliveryId, limit: 50 })).items;

describe('the bounces SMTP listener', () => {
  it('suppresses a reader after one hard bounce (5.1.1) and ties it to the delivery', async () => {
    const { deliveryId } = await reader('gone@example.org');
    const address = verp({ kind: 'digest', deliveryId });
    await deliver(
      address,
      dsn({
        to: address,
        recipient: 'gone@example.org',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown',
      }),
    );
    const [bounce] = await bouncesOf(deliveryId);
    expect(bounce).toMatchObject({
      source: 'smtp',
      kind: 'hard',
      status: '5.1.1',
      action: 'failed',
      mailKind: 'digest',
      suppressed: true,
    });
    expect(bounce!.diagnostic).toContain('User unknown');
    expect(bounce!.delivery).toMatchObject({ id: deliveryId, status: 'sent' });
    expect(await findSuppression(pool, 'gone@example.org')).toMatchObject({ reason: 'hard-bounce' });
  });

  it('suppresses only on the third soft bounce (4.2.2) within 7 days; an older one does not count', async () => {
    const first = await reader('full@example.org');
    // A soft bounce from last month: outside the window.
    await pool.query(
      `INSERT INTO bounces (source, kind, email_hash, status, received_at)
       VALUES ('smtp', 'soft', encode(sha256(convert_to('full@example.org', 'UTF8')), 'hex'), '4.2.2', now() - interval '8 days')`,
    );
    const report = (to: string) =>
      dsn({
        to,
        recipient: 'full@example.org',
        action: 'failed',
        status: '4.2.2',
        diagnostic: '452 4.2.2 Mailbox full: user is over quota, try later',
      });
    const deliveries = [first.deliveryId];
    for (let day = 2; day <= 3; day += 1) {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO deliveries (subscriber_id, local_date, status) VALUES ($1, $2, 'sent') RETURNING id`,
        [first.subscriberId, `2026-12-0${day}`],
      );
      deliveries.push(rows[0]!.id);
    }
    for (const [index, deliveryId] of deliveries.entries()) {
      await deliver(verp({ kind: 'digest', deliveryId }), report(verp({ kind: 'digest', deliveryId })));
      const suppression = await findSuppression(pool, 'full@example.org');
      if (index < 2) expect(suppression, `after soft bounce ${index + 1}`).toBeNull();
      else
        expect(suppression).toMatchObject({
          reason: 'hard-bounce',
          detail: expect.stringContaining('3 soft bounces within 7 days'),
        });
    }
    const kinds = await Promise.all(deliveries.map(bouncesOf));
    expect(kinds.map((items) => items.map((item) => [item.kind, item.suppressed]))).toEqual([
      [['soft', false]],
      [['soft', false]],
      [['soft', true]],
    ]);
  });

  it('names the delivery from the VERP address alone when the DSN is mangled', async () => {
    const { deliveryId } = await reader('Forwarded.Reader@example.org');
    const address = verp({ kind: 'digest', deliveryId });
    // Rewritten by a forwarder: the recipient is an alias we never mailed, the original headers are gone.
    const mangled = dsn({
      to: 'someone-else@example.net',
      recipient: 'alias-7731@forwarder.example.net',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 unknown user',
      originalHeaders: 'X-Stripped: yes',
    });
    await deliver(address.toUpperCase(), mangled);
    const [bounce] = await bouncesOf(deliveryId);
    expect(bounce).toMatchObject({ kind: 'hard', suppressed: true, delivery: { id: deliveryId } });
    expect(await findSuppression(pool, 'forwarded.reader@example.org')).toMatchObject({
      reason: 'hard-bounce',
    });
    expect(await findSuppression(pool, 'alias-7731@forwarder.example.net')).toBeNull();
  });

  it('suppresses after one ARF abuse complaint', async () => {
    const { subscriberId } = await reader('grumpy@example.org');
    const address = verp({ kind: 'welcome', subscriberId });
    await deliver(
      address,
      arf({ to: address, originalRcptTo: 'grumpy@example.org', originalMailFrom: address }),
    );
    const { rows } = await pool.query(
      'SELECT kind, mail_kind, suppressed, action FROM bounces WHERE subscriber_id = $1',
      [subscriberId],
    );
    expect(rows).toEqual([{ kind: 'complaint', mail_kind: 'welcome', suppressed: true, action: 'abuse' }]);
    expect(await findSuppression(pool, 'grumpy@example.org')).toMatchObject({ reason: 'complaint' });
  });

  it('stores a delay warning and garbage without suppressing anyone, and answers 250', async () => {
    const { deliveryId } = await reader('slow@example.org');
    const address = verp({ kind: 'digest', deliveryId });
    await deliver(
      address,
      dsn({
        to: address,
        recipient: 'slow@example.org',
        action: 'delayed',
        status: '4.4.7',
        diagnostic: '451 4.4.7 still trying',
      }),
    );
    const answer = await deliver(
      address,
      'Subject: out of office\r\n\r\nI am away until Monday. \u0000\u00ff garbage',
    );
    expect(answer.response).toMatch(/^250/);
    const items = await bouncesOf(deliveryId);
    expect(items.map((item) => item.kind).sort()).toEqual(['other', 'unparsed']);
    expect(items.find((item) => item.kind === 'unparsed')!.raw).toContain('I am away until Monday');
    expect(items.every((item) => !item.suppressed)).toBe(true);
    expect(await findSuppression(pool, 'slow@example.org')).toBeNull();
  });

  it('refuses recipients that are not our signed VERP addresses, and stores nothing', async () => {
    const { deliveryId } = await reader('safe@example.org');
    const good = verp({ kind: 'digest', deliveryId });
    const last = good.indexOf('@') - 1;
    const forged = `${good.slice(0, last)}${good[last] === '0' ? '1' : '0'}${good.slice(last + 1)}`;
    const before = (await pool.query('SELECT count(*)::int AS n FROM bounces')).rows[0].n;
    for (const to of [forged, 'postmaster@paperboy.example', good.replace(DOMAIN, 'elsewhere.example')]) {
      await expect(
        deliver(
          to,
          dsn({
            to,
            recipient: 'safe@example.org',
            action: 'failed',
            status: '5.1.1',
            diagnostic: '550 nope',
          }),
        ),
      ).rejects.toMatchObject({
        responseCode: 550,
      });
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM bounces')).rows[0].n).toBe(before);
    expect(await findSuppression(pool, 'safe@example.org')).toBeNull();
  });
});
