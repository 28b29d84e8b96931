import {
  confirmSubscriber,
  findSubscriber,
  findSubscriberByEmail,
  isSuppressed,
  recordSignup,
  suppress,
} from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('your_data');
});
afterAll(async () => {
  await api?.close();
});

/** A reader who got one digest with two papers, as the worker and mailer would leave it. */
async function readerWithHistory(email: string) {
  const reader = await api.seed(email, 'active', { topics: ['graphs'] });
  await api.pool.query(
    `INSERT INTO papers (id, title, links) VALUES
       ('2401.00001', 'Graphs all the way down', '{"abstract": "https://arxiv.org/abs/2401.00001"}'),
       ('2401.00002', 'Attention, again', '{}')
     ON CONFLICT (id) DO NOTHING`,
  );
  const { rows } = await api.pool.query<{ id: string }>(
    `INSERT INTO deliveries (subscriber_id, local_date, status, message_id, sent_at)
     VALUES ($1, '2026-03-02', 'sent', '<d1@paperboy.test>', '2026-03-02T07:00:05Z') RETURNING id`,
    [reader.id],
  );
  await api.pool.query(
    `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position, matched_topics)
     VALUES ($1, $2, '2401.00001', 1, '{graphs}'), ($1, $2, '2401.00002', 2, '{}')`,
    [rows[0]!.id, reader.id],
  );
  return reader;
}

const asReader = (token: string) => ({ authorization: `Bearer ${token}` });
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('the manage token alone neither exports nor erases', () => {
  it('answers export and erase on /v1/subscriptions/me with "we mailed you a link", and queues that mail', async () => {
    const reader = await readerWithHistory('asks@example.org');
    const headers = asReader(api.token(reader, 'manage'));
    const exported = await api.app.inject({ url: '/v1/subscriptions/me/export', headers });
    const erased = await api.app.inject({ method: 'DELETE', url: '/v1/subscriptions/me', headers });
    const asked = await api.app.inject({ method: 'POST', url: '/v1/subscriptions/me/data-link', headers });
    for (const response of [exported, erased, asked]) {
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({ status: 'mailed' });
      expect(response.body).not.toContain('2401.00001');
    }
    expect(await findSubscriber(api.pool, reader.id)).not.toBeNull();
    const jobs = await api.emailJobs('send-data-link');
    expect(jobs.filter((job) => job.data.subscriberId === reader.id)).toHaveLength(3);
  });

  it('the preference centre mails a link instead of exporting or erasing', async () => {
    const reader = await api.seed('page-asks@example.org');
    const manage = `/manage/${api.token(reader, 'manage')}`;
    const oldExport = await api.app.inject({ url: `${manage}/export` });
    expect(oldExport.statusCode).toBe(200);
    expect(oldExport.headers['content-type']).toContain('text/html');
    expect(oldExport.body).toContain(`action="${manage}/data-link"`);
    for (const url of [`${manage}/data-link`, `${manage}/erase`]) {
      const response = await api.app.inject({ method: 'POST', url, headers: form, payload: 'confirm=yes' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('We mailed you a link');
    }
    expect(await findSubscriber(api.pool, reader.id)).not.toBeNull();
  });

  it('limits data-link mails per reader', async () => {
    const reader = await api.seed('greedy@example.org');
    const headers = asReader(api.token(reader, 'manage'));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/subscriptions/me/data-link',
        headers,
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe('the data link', () => {
  it('downloads everything stored about the reader, including what was sent when', async () => {
    const reader = await readerWithHistory('export@example.org');
    const token = api.token(reader, 'data', inOneHour());
    const page = await api.app.inject({ url: `/data/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/data/${token}/export"`);
    const response = await api.app.inject({ url: `/data/${token}/export` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    expect(response.headers['cache-control']).toBe('no-store');
    const data = JSON.parse(response.body);
    expect(data.subscriber).toMatchObject({ id: reader.id, email: 'export@example.org', topics: ['graphs'] });
    expect(data.subscriber.emailHash).toMatch(/^[0-9a-f]{64}$/);
    expect(data.deliveries).toEqual([
      expect.objectContaining({
        localDate: '2026-03-02',
        status: 'sent',
        sentAt: '2026-03-02T07:00:05.000Z',
        messageId: '<d1@paperboy.test>',
        papers: [
          {
            paperId: '2401.00001',
            title: 'Graphs all the way down',
            position: 1,
            matchedTopics: ['graphs'],
            links: { abstract: 'https://arxiv.org/abs/2401.00001' },
          },
          { paperId: '2401.00002', title: 'Attention, again', position: 2, matchedTopics: [], links: {} },
        ],
      }),
    ]);
  });

  it('refuses an expired, revoked, manage or unsubscribe token', async () => {
    const reader = await api.seed('stale@example.org');
    const past = Math.floor(Date.now() / 1000) - 1;
    for (const token of [
      api.token(reader, 'data', past),
      api.token({ ...reader, tokenVersion: reader.tokenVersion - 1 }, 'data', inOneHour()),
      api.token(reader, 'manage'),
      api.token(reader, 'unsubscribe'),
    ]) {
      expect((await api.app.inject({ url: `/data/${token}` })).statusCode).toBe(400);
      expect((await api.app.inject({ url: `/data/${token}/export` })).statusCode).toBe(400);
      const erase = await api.app.inject({
        method: 'POST',
        url: `/data/${token}/erase`,
        headers: form,
        payload: 'confirm=yes',
      });
      expect(erase.statusCode).toBe(400);
    }
    expect(await findSubscriber(api.pool, reader.id)).not.toBeNull();
  });
});

describe('erase', () => {
  it('removes the row and its history; only the address hash stays, suppressed', async () => {
    const email = 'erase@example.org';
    const reader = await readerWithHistory(email);
    const token = api.token(reader, 'data', inOneHour());
    const response = await api.app.inject({
      method: 'POST',
      url: `/data/${token}/erase`,
      headers: form,
      payload: 'confirm=yes',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Your data is erased');

    const { rows: tables } = await api.pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    for (const { name } of tables) {
      const found = await api.pool.query(`SELECT 1 FROM ${name} AS t WHERE t::text ILIKE $1`, [`%${email}%`]);
      expect(found.rowCount, `the address is still in ${name}`).toBe(0);
      const byId = await api.pool.query(`SELECT 1 FROM ${name} AS t WHERE t::text ILIKE $1`, [
        `%${reader.id}%`,
      ]);
      expect(byId.rowCount, `the reader's id is still in ${name}`).toBe(0);
    }
    expect(await isSuppressed(api.pool, email)).toBe(true);
    const again = await api.app.inject({
      url: '/v1/subscriptions/me',
      headers: asReader(api.token(reader, 'manage')),
    });
    expect(again.statusCode).toBe(401);
    // The link still in the mail: a second press answers kindly.
    const twice = await api.app.inject({
      method: 'POST',
      url: `/data/${token}/erase`,
      headers: form,
      payload: 'confirm=yes',
    });
    expect(twice.statusCode).toBe(200);
    expect(twice.body).toContain('You will not hear from us');
  });

  it('never weakens a hard bounce to "erased"; the bounce text (it may quote the address) goes', async () => {
    const email = 'bounced-then-erased@example.org';
    const reader = await readerWithHistory(email);
    await suppress(api.pool, email, 'hard-bounce', `550 5.1.1 <${email}> unknown`);
    const erased = await api.app.inject({
      method: 'POST',
      url: `/data/${api.token(reader, 'data', inOneHour())}/erase`,
      headers: form,
      payload: 'confirm=yes',
    });
    expect(erased.statusCode).toBe(200);
    const { rows } = await api.pool.query(
      `SELECT reason, detail FROM suppressions WHERE email_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [email],
    );
    expect(rows).toEqual([{ reason: 'hard-bounce', detail: null }]);
    const { rows: events } = await api.pool.query(
      'SELECT 1 FROM suppression_events t WHERE t::text ILIKE $1',
      [`%${email}%`],
    );
    expect(events).toEqual([]);
  });

  it('lets the address sign up anew; confirming lifts the "erased" suppression', async () => {
    const email = 'comeback@example.org';
    const reader = await api.seed(email);
    await api.app.inject({
      method: 'POST',
      url: `/data/${api.token(reader, 'data', inOneHour())}/erase`,
      headers: form,
      payload: 'confirm=yes',
    });
    const signup = await recordSignup(
      api.pool,
      email,
      { topics: [], timezone: 'UTC', sendHour: 8, paperCount: 10, cadence: 'daily', weekday: 1 },
      600,
    );
    expect(signup.subscriberId).not.toBe(reader.id);
    expect(await isSuppressed(api.pool, email)).toBe(true);
    const fresh = await findSubscriberByEmail(api.pool, email);
    await confirmSubscriber(api.pool, fresh!.id, fresh!.tokenVersion);
    expect(await isSuppressed(api.pool, email)).toBe(false);
  });

  it('from the page: erases only when the reader ticked the box', async () => {
    const reader = await api.seed('erase-page@example.org');
    const url = `/data/${api.token(reader, 'data', inOneHour())}/erase`;
    const unticked = await api.app.inject({ method: 'POST', url, headers: form, payload: '' });
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('Nothing was erased');
    expect(await findSubscriberByEmail(api.pool, 'erase-page@example.org')).not.toBeNull();
    const ticked = await api.app.inject({ method: 'POST', url, headers: form, payload: 'confirm=yes' });
    expect(ticked.statusCode).toBe(200);
    expect(ticked.body).toContain('Your data is erased');
    expect(await findSubscriberByEmail(api.pool, 'erase-page@example.org')).toBeNull();
  });
});
