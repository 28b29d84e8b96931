import { emailHash } from '@paperboy/db';
import { signToken } from '@paperboy/links';
import type { ReceivedMail } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

// A vote link carries the paper's position and the direction after its token.
const TOKEN = '[A-Za-z0-9_.-]+(?:/\\d+/(?:more|less))?';
const linksIn = (text: string, path: string): string[] =>
  [...text.matchAll(new RegExp(`https://paperboy\\.test${path}${TOKEN}`, 'g'))].map((match) => match[0]);
const isAddressConfirmation = (mail: ReceivedMail) => mail.parsed.messageId?.includes('.address@') ?? false;
const isAddressNotice = (mail: ReceivedMail) => mail.parsed.messageId?.includes('.address-notice@') ?? false;

describe('votes from a real digest, a weekly digest, and a change of address', () => {
  let stack: Stack;
  // Monday 30 November 2026, 13:00 in Berlin: past every reader's 08:00.
  const monday = new Date('2026-11-30T12:00:00Z');

  const seed = async (email: string, fields: { cadence?: 'daily' | 'weekly'; weekday?: number } = {}) => {
    const { rows } = await stack.api.deps.pool.query<{ id: string; token_version: number }>(
      `INSERT INTO subscribers (email, email_hash, status, timezone, send_hour, cadence, weekday, confirmed_at)
       VALUES ($1, $2, 'active', 'Europe/Berlin', 8, $3, $4, now()) RETURNING id, token_version`,
      [email, emailHash(email), fields.cadence ?? 'daily', fields.weekday ?? 1],
    );
    return { id: rows[0]!.id, email, tokenVersion: rows[0]!.token_version };
  };
  const manageToken = (reader: { id: string; tokenVersion: number }) =>
    signToken(stack.config.tokenSecret, {
      purpose: 'manage',
      subscriberId: reader.id,
      version: reader.tokenVersion,
      expiresAt: 0,
    });
  // Export and erase need a fresh data link (mailed on request, valid one hour), not the manage link.
  const dataToken = (reader: { id: string; tokenVersion: number }) =>
    signToken(stack.config.tokenSecret, {
      purpose: 'data',
      subscriberId: reader.id,
      version: reader.tokenVersion,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
  const votesOf = async (subscriberId: string) =>
    (
      await stack.api.deps.pool.query<{ paper_id: string; direction: number }>(
        'SELECT paper_id, direction FROM paper_votes WHERE subscriber_id = $1',
        [subscriberId],
      )
    ).rows;
  const emailJobsDone = async (name: string, count: number) => {
    for (let tries = 0; tries < 100; tries += 1) {
      const done = await stack.api.deps.queues.email.getJobs(['completed', 'failed']);
      if (done.filter((job) => job.name === name).length >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${count} ${name} jobs did not finish`);
  };

  beforeAll(async () => {
    stack = await startStack('votes-address', { env: { CLOCK_START: monday.toISOString() } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('records a vote only when the button is pressed, once per paper, the latest direction winning', async () => {
    const reader = await seed('voter@example.org');
    expect(await stack.plan(monday)).toMatchObject({ planned: 1 });
    const [digest] = await stack.sink.waitFor(
      (mail) => isDigest(mail) && mail.envelopeTo.includes(reader.email),
    );
    const text = digest!.parsed.text ?? '';
    const html = typeof digest!.parsed.html === 'string' ? digest!.parsed.html : '';
    const more = linksIn(text, '/vote/').filter((_, index) => index % 2 === 0);
    const less = linksIn(text, '/vote/').filter((_, index) => index % 2 === 1);
    const papers = (text.match(/^ +More like this: /gm) ?? []).length;
    expect(papers).toBeGreaterThanOrEqual(3);
    expect(more).toHaveLength(papers);
    expect(new Set([...more, ...less]).size).toBe(2 * papers);
    for (const link of [...more, ...less]) expect(html).toContain(`href="${link}"`);

    // A scanner (or the reader) opening the link: a page with one button, nothing recorded.
    const page = await fetch(stack.local(more[0]!));
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('<form method="post"');
    expect(body.match(/<button/g)).toHaveLength(1);
    expect(await votesOf(reader.id)).toEqual([]);

    const voted = await fetch(stack.local(more[0]!), { method: 'POST' });
    expect(voted.status).toBe(200);
    expect(await voted.text()).toContain('Noted');
    expect((await fetch(stack.local(more[0]!), { method: 'POST' })).status).toBe(200);
    const [first] = await votesOf(reader.id);
    expect(await votesOf(reader.id)).toEqual([{ paper_id: first!.paper_id, direction: 1 }]);
    expect((await fetch(stack.local(less[0]!), { method: 'POST' })).status).toBe(200);
    expect(await votesOf(reader.id)).toEqual([{ paper_id: first!.paper_id, direction: -1 }]);

    // One token per reader and edition; the path names the paper by its place in the digest.
    const [token, position, direction] = new URL(more[1]!).pathname.split('/').slice(2);
    expect(less[1]).toBe(more[1]!.replace(/\/more$/, '/less'));
    expect([position, direction]).toEqual(['2', 'more']);
    const post = (path: string) => fetch(`${stack.api.address}${path}`, { method: 'POST' });
    // A forged token, a place the edition does not have, or a token without its place is refused.
    expect((await post(`/vote/${token!.slice(0, -6)}AAAAAA/2/more`)).status).toBe(400);
    expect((await post(`/vote/${token}/${papers + 1}/more`)).status).toBe(400);
    expect((await post(`/vote/${token}`)).status).toBe(400);
    expect((await post(`/vote/${token}/2/sideways`)).status).toBe(400);
    expect(await votesOf(reader.id)).toEqual([{ paper_id: first!.paper_id, direction: -1 }]);

    // Links mailed before votes were signed per edition (one token per paper and direction) still count.
    const olderLink = signToken(stack.config.tokenSecret, {
      purpose: 'vote',
      subscriberId: reader.id,
      version: reader.tokenVersion,
      expiresAt: 0,
      target: `more:${first!.paper_id}`,
    });
    expect((await post(`/vote/${olderLink}`)).status).toBe(200);
    expect(await votesOf(reader.id)).toEqual([{ paper_id: first!.paper_id, direction: 1 }]);
    expect((await post(`/vote/${olderLink}/1/less`)).status).toBe(400);
    expect((await post(`/vote/${less[0]!.split('/vote/')[1]}`)).status).toBe(200);
    expect(await votesOf(reader.id)).toEqual([{ paper_id: first!.paper_id, direction: -1 }]);

    // The learned terms are the reader's to see and to export.
    const learning = await fetch(`${stack.api.address}/v1/subscriptions/me/learning`, {
      headers: { authorization: `Bearer ${manageToken(reader)}` },
    });
    expect(learning.status).toBe(200);
    const learned = (await learning.json()) as { votes: { more: number; less: number }; less: unknown[] };
    expect(learned.votes).toEqual({ more: 0, less: 1 });
    const exported = await fetch(`${stack.api.address}/data/${dataToken(reader)}/export`);
    const data = (await exported.json()) as { votes: { direction: string }[]; learnedTerms: unknown[] };
    expect(data.votes.map((vote) => vote.direction)).toEqual(['less']);
    expect(data.learnedTerms.length).toBe(learned.less.length);

    // The public web copy of the edition carries nobody's vote links.
    const webCopy = linksIn(text, '/digests/')[0]!;
    const copy = await (await fetch(stack.local(webCopy))).text();
    expect(copy).not.toContain('/vote/');
    expect(copy).toContain('More like this');

    // Erasing the subscription erases the votes and what was learned from them.
    const erased = await fetch(`${stack.api.address}/data/${dataToken(reader)}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=yes',
    });
    expect(erased.status).toBe(200);
    const left = await stack.api.deps.pool.query(
      `SELECT (SELECT count(*) FROM paper_votes WHERE subscriber_id = $1)::int AS votes,
              (SELECT count(*) FROM reader_terms WHERE subscriber_id = $1)::int AS terms`,
      [reader.id],
    );
    expect(left.rows).toEqual([{ votes: 0, terms: 0 }]);
  });

  it('sends a weekly reader one digest that says "this week", on their weekday only', async () => {
    const weekly = await seed('weekly@example.org', { cadence: 'weekly', weekday: 1 });
    const friday = await seed('friday@example.org', { cadence: 'weekly', weekday: 5 });
    await stack.plan(monday);
    const [digest] = await stack.sink.waitFor(
      (mail) => isDigest(mail) && mail.envelopeTo.includes(weekly.email),
    );
    expect(digest!.parsed.subject).toMatch(/^This week's \d+ trending papers?: /);
    expect(digest!.parsed.text).toContain('trending papers this week');
    await stack.plan(new Date('2026-12-01T12:00:00Z'));
    const { rows } = await stack.api.deps.pool.query(
      'SELECT subscriber_id, local_date, cadence FROM deliveries WHERE subscriber_id = ANY ($1::uuid[]) ORDER BY local_date',
      [[weekly.id, friday.id]],
    );
    expect(rows).toEqual([{ subscriber_id: weekly.id, local_date: '2026-11-30', cadence: 'weekly' }]);
  });

  it('moves a reader to a confirmed new address, tells the old one, and tells nobody whether an address is taken or suppressed', async () => {
    const mover = await seed('mover@example.org');
    const wantsTaken = await seed('wants-taken@example.org');
    await seed('taken@example.org');
    const wantsSuppressed = await seed('wants-suppressed@example.org');
    await stack.api.deps.pool.query(
      `INSERT INTO suppressions (email_hash, reason) VALUES ($1, 'hard-bounce')`,
      [emailHash('bounced@example.org')],
    );
    const ask = (reader: { id: string; tokenVersion: number }, email: string) =>
      fetch(`${stack.api.address}/v1/subscriptions/me/address`, {
        method: 'POST',
        headers: { authorization: `Bearer ${manageToken(reader)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
    const answers = await Promise.all([
      ask(mover, 'Moved@Example.org'),
      ask(wantsTaken, 'taken@example.org'),
      ask(wantsSuppressed, 'bounced@example.org'),
    ]);
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(new Set(bodies).size).toBe(1);

    const [confirmation] = await stack.sink.waitFor(isAddressConfirmation);
    expect(confirmation!.envelopeTo).toEqual(['Moved@example.org']);
    await emailJobsDone('send-address-confirmation', 3);
    expect(stack.sink.messages.filter(isAddressConfirmation)).toHaveLength(1);
    expect(stack.sink.messages.some((mail) => mail.envelopeTo.includes('bounced@example.org'))).toBe(false);
    expect(stack.sink.messages.some((mail) => mail.envelopeTo.includes('taken@example.org'))).toBe(false);

    const [link] = linksIn(confirmation!.parsed.text ?? '', '/address/');
    const page = await fetch(stack.local(link!));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Moved@example.org');
    const moved = await fetch(stack.local(link!), { method: 'POST' });
    expect(moved.status).toBe(200);
    const [notice] = await stack.sink.waitFor(isAddressNotice);
    expect(notice!.envelopeTo).toEqual(['mover@example.org']);
    expect(notice!.parsed.text).toContain('M…@example.org');

    // The link works once; links sent to the old address stop working.
    expect((await fetch(stack.local(link!), { method: 'POST' })).status).toBe(400);
    const oldLink = await fetch(`${stack.api.address}/v1/subscriptions/me`, {
      headers: { authorization: `Bearer ${manageToken(mover)}` },
    });
    expect(oldLink.status).toBe(401);
    // The other two readers kept their addresses.
    const { rows } = await stack.api.deps.pool.query<{ email: string }>(
      'SELECT email FROM subscribers WHERE id = ANY ($1::uuid[]) ORDER BY email',
      [[mover.id, wantsTaken.id, wantsSuppressed.id]],
    );
    expect(rows.map((row) => row.email)).toEqual([
      'Moved@example.org',
      'wants-suppressed@example.org',
      'wants-taken@example.org',
    ]);

    // The next digest goes to the new address.
    await stack.plan(new Date('2026-12-02T12:00:00Z'));
    await stack.sink.waitFor((mail) => isDigest(mail) && mail.envelopeTo.includes('Moved@example.org'));
  });
});
