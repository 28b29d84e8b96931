import { confirmSubscriber, findSubscriberByEmail, isSuppressed, recordSignup, suppress } from '@paperboy/db';
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

describe('export', () => {
  it('hands the reader everything stored about them, including what was sent when', async () => {
    const reader = await readerWithHistory('export@example.org');
    const response = await api.app.inject({
      url: '/v1/subscriptions/me/export',
      headers: asReader(api.token(reader, 'manage')),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    expect(response.headers['cache-control']).toBe('no-store');
    const data = response.json();
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

  it('is the same download from the preference centre page', async () => {
    const reader = await api.seed('export-page@example.org');
    const response = await api.app.inject({ url: `/manage/${api.token(reader, 'manage')}/export` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(JSON.parse(response.body).subscriber.email).toBe('export-page@example.org');
  });
});

describe('erase', () => {
  it('removes the row and its history; only the address hash stays, suppressed', async () => {
    const email = 'erase@example.org';
    const reader = await readerWithHistory(email);
    // A bounce note may quote the address; it must go too.
    await suppress(api.pool, email, 'hard-bounce', `550 5.1.1 <${email}> unknown`);
    const token = api.token(reader, 'manage');
    const response = await api.app.inject({
      method: 'DELETE',
      url: '/v1/subscriptions/me',
      headers: asReader(token),
    });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');

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
    const { rows } = await api.pool.query('SELECT reason, detail FROM suppressions');
    expect(rows).toContainEqual({ reason: 'erased', detail: null });
    expect(await isSuppressed(api.pool, email)).toBe(true);
    const again = await api.app.inject({ url: '/v1/subscriptions/me', headers: asReader(token) });
    expect(again.statusCode).toBe(401);
  });

  it('lets the address sign up anew; confirming lifts the suppression', async () => {
    const email = 'comeback@example.org';
    const reader = await api.seed(email);
    await api.app.inject({
      method: 'DELETE',
      url: '/v1/subscriptions/me',
      headers: asReader(api.token(reader, 'manage')),
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
    const url = `/manage/${api.token(reader, 'manage')}/erase`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
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
