import { createHmac } from 'node:crypto';
import { findSuppression } from '@paperboy/db';
import { verpAddress } from '@paperboy/links';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi, TOKEN_SECRET } from './support/api-harness.ts';
import { makeSigningCertificate, signSns, startFakeSns } from './support/sns-signer.ts';

const WEBHOOK_SECRET = 'webhook-secret-webhook-secret-webhook-secret';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:paperboy-ses';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789.pem';
const DOMAIN = 'paperboy.example';
const POSTMARK = { user: 'postmark', password: 'postmark-password-123' };

let api: TestApi;
let sns: Awaited<ReturnType<typeof startFakeSns>>;
const { certPem, keyPem } = makeSigningCertificate();

beforeAll(async () => {
  sns = await startFakeSns(certPem);
  api = await startTestApi(
    'webhooks',
    {
      MAIL_FROM: `paperboy <digest@${DOMAIN}>`,
      BOUNCE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SES_SNS_TOPIC_ARNS: TOPIC,
      POSTMARK_WEBHOOK_USER: POSTMARK.user,
      POSTMARK_WEBHOOK_PASSWORD: POSTMARK.password,
    },
    { snsFetch: sns.fetch },
  );
});
afterAll(async () => {
  await api?.close();
  await sns?.close();
});

async function delivered(email: string) {
  const subscriber = await api.seed(email, 'active');
  const { rows } = await api.pool.query<{ id: string }>(
    `INSERT INTO deliveries (subscriber_id, local_date, status, sent_at) VALUES ($1, '2026-12-01', 'sent', now()) RETURNING id`,
    [subscriber.id],
  );
  const deliveryId = rows[0]!.id;
  return { subscriber, deliveryId, verp: verpAddress(TOKEN_SECRET, { kind: 'digest', deliveryId }, DOMAIN) };
}

const bounceCount = async () =>
  (await api.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bounces')).rows[0]!.n;

function postSigned(body: string, secret = WEBHOOK_SECRET) {
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return api.app.inject({
    method: 'POST',
    url: '/v1/webhooks/bounces',
    headers: { 'content-type': 'application/json', 'x-paperboy-signature': `sha256=${signature}` },
    payload: body,
  });
}

describe('POST /v1/webhooks/bounces (signed JSON)', () => {
  it('records a hard bounce named by its VERP address and suppresses the reader', async () => {
    const { verp, deliveryId } = await delivered('json-hard@example.org');
    const response = await postSigned(
      JSON.stringify({
        events: [{ type: 'hard', reference: verp, status: '5.1.1', diagnostic: '550 no such user' }],
      }),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'recorded',
      recorded: [{ kind: 'hard', deliveryId, suppressed: true }],
    });
    expect(await findSuppression(api.pool, 'json-hard@example.org')).toMatchObject({ reason: 'hard-bounce' });
  });

  it('suppresses on the third soft bounce for an address, not before', async () => {
    await delivered('json-soft@example.org');
    const soft = JSON.stringify({
      events: [{ type: 'soft', email: 'JSON-Soft@Example.org', status: '4.2.2' }],
    });
    const results = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      results.push((await postSigned(soft)).json().recorded[0].suppressed);
    expect(results).toEqual([false, false, true]);
  });

  it('answers 401 and stores nothing for a wrong, missing or malformed signature', async () => {
    const { verp } = await delivered('json-forged@example.org');
    const body = JSON.stringify({ events: [{ type: 'complaint', reference: verp }] });
    const before = await bounceCount();
    expect((await postSigned(body, 'another-secret-another-secret-another')).statusCode).toBe(401);
    for (const signature of [undefined, 'sha256=', `sha1=${'0'.repeat(40)}`, 'garbage']) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/webhooks/bounces',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-paperboy-signature': signature } : {}),
        },
        payload: body,
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
    }
    // Signed, then altered in transit.
    const signature = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
    const altered = await api.app.inject({
      method: 'POST',
      url: '/v1/webhooks/bounces',
      headers: { 'content-type': 'application/json', 'x-paperboy-signature': `sha256=${signature}` },
      payload: body.replace('complaint', 'hard'),
    });
    expect(altered.statusCode).toBe(401);
    expect(await bounceCount()).toBe(before);
    expect(await findSuppression(api.pool, 'json-forged@example.org')).toBeNull();
  });

  it('says what is wrong with a signed body that does not fit the documented shape', async () => {
    const cases: [string, RegExp][] = [
      ['{oops', /body/],
      [JSON.stringify({ events: [] }), /events/],
      [JSON.stringify({ events: [{ type: 'bounced', email: 'a@example.org' }] }), /type/],
      [JSON.stringify({ events: [{ type: 'hard' }] }), /needs a reference or an email/],
      [
        JSON.stringify({
          events: [
            {
              type: 'hard',
              reference: 'bounces+d0000000000000000000000000000000000000000000000000000@paperboy.example',
            },
          ],
        }),
        /VERP/,
      ],
      [JSON.stringify({ events: [{ type: 'hard', email: 'not an address' }] }), /email/],
    ];
    const before = await bounceCount();
    for (const [body, message] of cases) {
      const response = await postSigned(body);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().message).toMatch(message);
    }
    expect(await bounceCount()).toBe(before);
  });
});

function postSns(message: Record<string, string>) {
  return api.app.inject({
    method: 'POST',
    url: '/v1/webhooks/bounces/ses',
    // SNS posts JSON labelled text/plain.
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type ?? '' },
    payload: JSON.stringify(message),
  });
}

const notification = (sesMessage: unknown, overrides: Record<string, string> = {}) =>
  signSns(
    {
      Type: 'Notification',
      MessageId: crypto.randomUUID(),
      TopicArn: TOPIC,
      Message: typeof sesMessage === 'string' ? sesMessage : JSON.stringify(sesMessage),
      Timestamp: new Date().toISOString(),
      SigningCertURL: CERT_URL,
      ...overrides,
    },
    keyPem,
  );

describe('POST /v1/webhooks/bounces/ses (Amazon SES through SNS)', () => {
  it('confirms the subscription by visiting its SubscribeURL', async () => {
    const subscribeUrl =
      'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=abc';
    const response = await postSns(
      signSns(
        {
          Type: 'SubscriptionConfirmation',
          MessageId: crypto.randomUUID(),
          Token: 'abc',
          TopicArn: TOPIC,
          Message: 'You have chosen to subscribe to the topic.',
          SubscribeURL: subscribeUrl,
          Timestamp: new Date().toISOString(),
          SigningCertURL: CERT_URL,
        },
        keyPem,
      ),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().status).toBe('subscribed');
    expect(sns.visited).toContain('/?Action=ConfirmSubscription&TopicArn=x&Token=abc');
    expect(sns.fetched).toContain('/SimpleNotificationService-0123456789.pem');
  });

  it('records a permanent bounce against the delivery its envelope sender names, and a complaint', async () => {
    const { verp, deliveryId } = await delivered('ses-hard@example.org');
    const bounce = await postSns(
      notification({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: 'ses-hard@example.org',
              action: 'failed',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
        },
        mail: { source: verp, messageId: 'ses-1', destination: ['ses-hard@example.org'] },
      }),
    );
    expect(bounce.statusCode, bounce.body).toBe(200);
    expect(bounce.json().recorded).toEqual([
      expect.objectContaining({ kind: 'hard', deliveryId, suppressed: true }),
    ]);

    await delivered('ses-complaint@example.org');
    const complaint = await postSns(
      notification({
        notificationType: 'Complaint',
        complaint: {
          complainedRecipients: [{ emailAddress: 'ses-complaint@example.org' }],
          complaintFeedbackType: 'abuse',
        },
        mail: { source: 'digest@paperboy.example', messageId: 'ses-2' },
      }),
    );
    expect(complaint.json().recorded).toEqual([
      expect.objectContaining({ kind: 'complaint', suppressed: true }),
    ]);
    expect(await findSuppression(api.pool, 'ses-complaint@example.org')).toMatchObject({
      reason: 'complaint',
    });
  });

  it('answers 401 and changes nothing for a tampered or replayed message, a foreign topic or a certificate not on Amazon', async () => {
    await delivered('ses-forged@example.org');
    const ses = {
      notificationType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'ses-forged@example.org' }] },
      mail: { source: 'x@paperboy.example' },
    };
    const good = notification(ses);
    const before = await bounceCount();
    const fetchedBefore = sns.fetched.length;
    const attempts = [
      { ...good, Message: good.Message!.replace('ses-forged', 'ses-other') },
      notification(ses, { TopicArn: 'arn:aws:sns:eu-west-1:999999999999:someone-else' }),
      notification(ses, { SigningCertURL: 'https://attacker.example/cert.pem' }),
      notification(ses, { SigningCertURL: 'http://sns.eu-west-1.amazonaws.com/cert.pem' }),
      notification(ses, { SigningCertURL: 'https://sns.eu-west-1.amazonaws.com.attacker.example/cert.pem' }),
      { ...good, Signature: Buffer.from('nope').toString('base64') },
      // Correctly signed, but a day old: a replay.
      notification(ses, { Timestamp: new Date(Date.now() - 24 * 3600 * 1000).toISOString() }),
    ];
    for (const attempt of attempts) {
      const response = await postSns(attempt);
      expect(response.statusCode, JSON.stringify(attempt).slice(0, 200)).toBe(401);
    }
    expect(await bounceCount()).toBe(before);
    expect(await findSuppression(api.pool, 'ses-forged@example.org')).toBeNull();
    // Only the Amazon certificate URL was ever fetched (and is cached).
    expect(
      sns.fetched.slice(fetchedBefore).every((path) => path === '/SimpleNotificationService-0123456789.pem'),
    ).toBe(true);
  });

  it('stores a signed notification it cannot read as unparsed, and ignores deliveries', async () => {
    const unreadable = await postSns(notification('this is not json {'));
    expect(unreadable.statusCode).toBe(200);
    expect(unreadable.json().recorded).toEqual([
      expect.objectContaining({ kind: 'unparsed', suppressed: false }),
    ]);
    const delivery = await postSns(
      notification({ notificationType: 'Delivery', mail: { source: 'x@paperboy.example' } }),
    );
    expect(delivery.json()).toEqual({ status: 'ignored', recorded: [] });
  });
});

function postPostmark(body: unknown, credentials = POSTMARK) {
  return api.app.inject({
    method: 'POST',
    url: '/v1/webhooks/bounces/postmark',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`,
    },
    payload: JSON.stringify(body),
  });
}

describe('POST /v1/webhooks/bounces/postmark', () => {
  const hardBounce = (email: string) => ({
    RecordType: 'Bounce',
    ID: 42,
    Type: 'HardBounce',
    TypeCode: 1,
    MessageID: '00000000-0000-0000-0000-000000000000',
    Email: email,
    Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
    BouncedAt: '2026-12-01T08:00:00Z',
  });

  it('records hard bounces and spam complaints with the configured basic-auth credentials', async () => {
    await delivered('pm-hard@example.org');
    const response = await postPostmark(hardBounce('pm-hard@example.org'));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().recorded).toEqual([expect.objectContaining({ kind: 'hard', suppressed: true })]);
    await delivered('pm-spam@example.org');
    const complaint = await postPostmark({
      RecordType: 'SpamComplaint',
      Type: 'SpamComplaint',
      TypeCode: 512,
      Email: 'pm-spam@example.org',
    });
    expect(complaint.json().recorded).toEqual([
      expect.objectContaining({ kind: 'complaint', suppressed: true }),
    ]);
    const open = await postPostmark({ RecordType: 'Open', Email: 'pm-spam@example.org' });
    expect(open.json()).toEqual({ status: 'ignored', recorded: [] });
  });

  it('answers 401 and changes nothing with wrong or missing credentials', async () => {
    await delivered('pm-forged@example.org');
    const before = await bounceCount();
    const wrong = await postPostmark(hardBounce('pm-forged@example.org'), {
      user: 'postmark',
      password: 'guess',
    });
    expect(wrong.statusCode).toBe(401);
    const missing = await api.app.inject({
      method: 'POST',
      url: '/v1/webhooks/bounces/postmark',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(hardBounce('pm-forged@example.org')),
    });
    expect(missing.statusCode).toBe(401);
    expect(await bounceCount()).toBe(before);
    expect(await findSuppression(api.pool, 'pm-forged@example.org')).toBeNull();
  });
});

describe('GET /v1/admin/bounces', () => {
  it('lists every event with the delivery it belongs to, behind the admin key', async () => {
    expect((await api.app.inject({ url: '/v1/admin/bounces' })).statusCode).toBe(401);
    const { verp, deliveryId } = await delivered('listed@example.org');
    await postSigned(JSON.stringify({ events: [{ type: 'soft', reference: verp, status: '4.2.2' }] }));
    const response = await api.app.inject({
      url: `/v1/admin/bounces?delivery=${deliveryId}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().items).toEqual([
      expect.objectContaining({
        source: 'webhook',
        kind: 'soft',
        mailKind: 'digest',
        status: '4.2.2',
        suppressed: false,
        delivery: expect.objectContaining({ id: deliveryId, localDate: '2026-12-01', status: 'sent' }),
      }),
    ]);
    const all = await api.app.inject({
      url: '/v1/admin/bounces?limit=2',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const next = all.json().nextCursor as string;
    expect(next).toBeTruthy();
    const second = await api.app.inject({
      url: `/v1/admin/bounces?limit=2&after=${next}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json().items[0].id).not.toBe(all.json().items[0].id);
    const forged = await api.app.inject({
      url: '/v1/admin/bounces?after=bm9wZQ',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(forged.statusCode).toBe(400);
  });
});
