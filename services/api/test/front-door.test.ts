import { findSubscriberByEmail, upsertPapers } from '@paperboy/db';
import { arxivLinks, utcDate } from '@paperboy/papers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';
import { storePaper } from './support/papers.ts';

let api: TestApi;
const today = utcDate(new Date());

const form = (fields: Record<string, string>) => ({
  method: 'POST' as const,
  url: '/',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

beforeAll(async () => {
  api = await startTestApi('front_door', { SIGNUPS_PER_ADDRESS_PER_HOUR: '3' });
  await upsertPapers(api.pool, [
    storePaper({
      id: '2511.00001',
      arxivId: '2511.00001',
      title: 'Diffusion Transformers at Scale',
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
      links: arxivLinks('2511.00001'),
      upvotes: 120,
      comments: 7,
      trendingDate: today,
      aiKeywords: ['Diffusion', 'transformers'],
      sources: ['huggingface'],
    }),
    storePaper({
      id: 't-00000000000000aa',
      title: 'A Paper With No Link Anywhere',
      authors: ['Kurt Gödel'],
      trendingDate: today,
      upvotes: 40,
      aiKeywords: ['diffusion', 'logic'],
    }),
  ]);
  // Three readers chose "protein folding": popular enough to suggest; one reader's "knitting" is not.
  for (const [index, topic] of [
    'protein folding',
    'protein folding',
    'Protein Folding',
    'knitting',
  ].entries())
    await api.seed(`reader${index}@example.org`, 'active', { topics: [topic] });
});
afterAll(async () => {
  await api?.close();
});

describe('the front door', () => {
  it('makes the promise, offers the form with suggestions, previews today’s papers and links the feeds', async () => {
    const response = await api.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const page = response.body;
    expect(page).toContain('Get trending papers in your email inbox once a day!');
    expect(page).toContain('<form method="post" action="/"');
    for (const name of ['email', 'topics', 'timezone', 'sendHour', 'cadence', 'weekday'])
      expect(page).toContain(`name="${name}"`);
    // Suggestions: paper keywords (most used first) and topics at least three readers share.
    expect(page).toContain('<option value="diffusion"></option>');
    expect(page).toContain('<option value="protein folding"></option>');
    expect(page).not.toContain('knitting');
    // The preview: linked titles, shortened authors, counts; a paper with no link gets paperboy's page.
    expect(page).toContain('<a href="https://arxiv.org/abs/2511.00001">Diffusion Transformers at Scale</a>');
    expect(page).toContain('A. Lovelace, A. Turing, G. Hopper, …\u00a0+2');
    expect(page).toContain('120 upvotes · 7 comments');
    expect(page).toContain('<a href="/papers/t-00000000000000aa">A Paper With No Link Anywhere</a>');
    expect(page).toContain('href="/digests"');
    expect(page).toContain('href="/docs"');
    expect(page).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(page).toContain('<link rel="alternate" type="application/feed+json"');
    // The one inline script runs because the policy names its hash; nothing else may run.
    expect(response.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page).not.toContain('name="robots"');
  });

  it('answers the same "check your inbox" page for a new and a known address, and signs the new one up', async () => {
    const fields = {
      topics: 'diffusion, robotics',
      timezone: 'Europe/Berlin',
      sendHour: '7',
      cadence: 'weekly',
      weekday: '3',
    };
    const fresh = await api.app.inject(form({ email: 'new.reader@example.org', ...fields }));
    const known = await api.app.inject(form({ email: 'reader0@example.org', ...fields }));
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('Check your inbox');
    expect(known.statusCode).toBe(200);
    expect(known.body).toBe(fresh.body);
    expect(await findSubscriberByEmail(api.pool, 'new.reader@example.org')).toMatchObject({
      status: 'pending',
      topics: ['diffusion', 'robotics'],
      timezone: 'Europe/Berlin',
      sendHour: 7,
    });
    const { rows } = await api.pool.query(
      "SELECT cadence, weekday FROM subscribers WHERE email = 'new.reader@example.org'",
    );
    expect(rows).toEqual([{ cadence: 'weekly', weekday: 3 }]);
    // The known reader's settings stay theirs: sign-up never changes an active reader.
    expect((await findSubscriberByEmail(api.pool, 'reader0@example.org'))?.topics).toEqual([
      'protein folding',
    ]);
    expect(await api.confirmationsQueued()).toHaveLength(2);
  });

  it('shows bad input again with the message beside the field and what was typed kept', async () => {
    const response = await api.app.inject(
      form({
        email: 'not an address',
        topics: 'graphs',
        timezone: 'Moon/Base',
        sendHour: '8',
        cadence: 'daily',
      }),
    );
    expect(response.statusCode).toBe(400);
    const page = response.body;
    expect(page).toContain('role="alert"');
    expect(page).toMatch(
      /id="email"[^>]*aria-describedby="email-error"[^>]*aria-invalid="true"[^>]*value="not an address"/,
    );
    expect(page).toContain(
      '<p class="field-error" id="email-error">Enter your email address, like name@example.org</p>',
    );
    expect(page).toMatch(
      /id="timezone"[^>]*aria-describedby="timezone-hint timezone-error" aria-invalid="true"[^>]*value="Moon\/Base"/,
    );
    expect(page).toContain('value="graphs"');
    expect(page).not.toMatch(/<input[^>]*data-preset-zone/);
    expect(await findSubscriberByEmail(api.pool, 'not an address')).toBeNull();
  });

  it('refuses a weekly digest without a weekday and a cadence it does not know', async () => {
    const weekly = await api.app.inject(form({ email: 'w@example.org', cadence: 'weekly', weekday: '9' }));
    expect(weekly.statusCode).toBe(400);
    expect(weekly.body).toContain('id="weekday-error"');
    const odd = await api.app.inject(form({ email: 'w@example.org', cadence: 'hourly' }));
    expect(odd.statusCode).toBe(400);
    expect(odd.body).toContain('id="cadence-error"');
    expect(await findSubscriberByEmail(api.pool, 'w@example.org')).toBeNull();
  });

  it('counts form and API sign-ups against one budget per address', async () => {
    const email = 'budget@example.org';
    const api202 = await api.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      payload: { email, cadence: 'weekly', weekday: 5 },
    });
    expect(api202.statusCode).toBe(202);
    expect((await api.app.inject(form({ email }))).statusCode).toBe(200);
    expect((await api.app.inject(form({ email }))).statusCode).toBe(200);
    const limited = await api.app.inject(form({ email }));
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many sign-ups just now');
    expect(limited.body).toContain(`value="${email}"`);
    const json = await api.app.inject({ method: 'POST', url: '/v1/subscriptions', payload: { email } });
    expect(json.statusCode).toBe(429);
  });

  it('answers a malformed post with a 4xx JSON error, never a 5xx', async () => {
    const unknown = await api.app.inject(form({ email: 'x@example.org', admin: 'yes' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'bad_request' });
    const huge = await api.app.inject(form({ email: 'x@example.org', topics: 'a'.repeat(9000) }));
    expect(huge.statusCode).toBe(413);
  });
});

describe('the API sign-up knows cadence too', () => {
  it('requires a weekday for weekly and takes ISO weekdays 1 to 7 only', async () => {
    const post = (payload: Record<string, unknown>) =>
      api.app.inject({ method: 'POST', url: '/v1/subscriptions', payload });
    expect((await post({ email: 'c1@example.org', cadence: 'weekly' })).json().message).toContain(
      'body.weekday',
    );
    expect((await post({ email: 'c1@example.org', cadence: 'weekly', weekday: 0 })).statusCode).toBe(400);
    expect((await post({ email: 'c1@example.org', cadence: 'monthly' })).statusCode).toBe(400);
    expect((await post({ email: 'c1@example.org', cadence: 'daily', weekday: 2 })).statusCode).toBe(202);
    const { rows } = await api.pool.query(
      "SELECT cadence, weekday FROM subscribers WHERE email = 'c1@example.org'",
    );
    expect(rows).toEqual([{ cadence: 'daily', weekday: 2 }]);
  });
});

describe('paperboy’s own paper page', () => {
  it('shows title, authors, abstract, source and the links that lead elsewhere', async () => {
    const response = await api.app.inject({ url: '/papers/2511.00001' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    const page = response.body;
    expect(page).toContain('<h1>Diffusion Transformers at Scale</h1>');
    expect(page).toContain('Ada Lovelace, Alan Turing, Grace Hopper, Edsger Dijkstra, Barbara Liskov');
    expect(page).toContain('From Hugging Face daily papers');
    expect(page).toContain('120 upvotes · 7 comments');
    expect(page).toContain('<h2>Abstract</h2>');
    expect(page).toContain('href="https://arxiv.org/pdf/2511.00001"');
  });

  it('serves old-style arXiv ids sent with an encoded slash, and says plainly when a paper is unknown', async () => {
    await upsertPapers(api.pool, [storePaper({ id: 'hep-th/9901001', title: 'An Old Paper' })]);
    const old = await api.app.inject({ url: '/papers/hep-th%2F9901001' });
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('<h1>An Old Paper</h1>');
    expect(old.body).toContain('href="https://arxiv.org/abs/hep-th/9901001"');
    const missing = await api.app.inject({ url: '/papers/2511.99999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('No paper here');
    const bad = await api.app.inject({ url: `/papers/${encodeURIComponent('<script>')}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request' });
  });
});
