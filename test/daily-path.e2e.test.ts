import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest, isWelcome } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https://paperboy\\.test${path}[A-Za-z0-9_.-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}

describe('the daily path: sign up, confirm, get today’s digest, leave', () => {
  let stack: Stack;
  // Berlin is UTC+1 in winter: at 12:00 UTC it is 13:00 there, past the reader's 08:00 send hour.
  const today = new Date('2026-11-30T12:00:00Z');
  const tomorrow = new Date('2026-12-01T12:00:00Z');
  const reader = 'Ada.Reader@Example.ORG';

  beforeAll(async () => {
    stack = await startStack('daily', { env: { CLOCK_START: today.toISOString() } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('confirms a sign-up by mail and sends one digest with working unsubscribe links', async () => {
    const signup = await fetch(`${stack.api.address}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: reader, topics: ['diffusion'], timezone: 'Europe/Berlin', sendHour: 8 }),
    });
    expect(signup.status).toBe(202);

    const [confirmation] = await stack.sink.waitFor((mail) =>
      mail.envelopeTo.includes('Ada.Reader@example.org'),
    );
    const confirmLink = linkIn(confirmation!.parsed.text ?? '', '/confirm/');
    const confirmPage = await fetch(stack.local(confirmLink));
    expect(confirmPage.status).toBe(200);
    expect(await confirmPage.text()).toContain('<form method="post"');
    const confirmed = await fetch(stack.local(confirmLink), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    const [welcome] = await stack.sink.waitFor(isWelcome);
    expect(welcome!.parsed.text).toContain('/manage/');
    // A second click on the same link confirms nothing new and sends no second welcome.
    expect((await fetch(stack.local(confirmLink), { method: 'POST' })).status).toBe(200);

    expect(await stack.plan(today)).toMatchObject({ planned: 1 });
    const [digest] = await stack.sink.waitFor(isDigest);
    const parsed = digest!.parsed;
    expect(parsed.subject).toMatch(/^\d+ trending papers?: /);
    expect(parsed.text).toContain('1. ');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html.length).toBeGreaterThan(1000);
    expect(digest!.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeHeader = digest!.header('list-unsubscribe') ?? '';
    const unsubscribeUrl = linkIn(unsubscribeHeader, '/u/');
    expect(unsubscribeHeader).toBe(`<${unsubscribeUrl}>`);
    expect(html).toContain(`href="${unsubscribeUrl}"`);
    expect(parsed.messageId).toMatch(/\.digest@/);
    expect(digest!.header('list-id')).toBeTruthy();

    const scanned = await fetch(stack.local(unsubscribeUrl));
    expect(scanned.status).toBe(200);
    const oneClick = await fetch(stack.local(unsubscribeUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(oneClick.status).toBe(200);

    const before = stack.sink.messages.length;
    expect(await stack.plan(tomorrow)).toMatchObject({ planned: 0 });
    expect(stack.sink.messages.length).toBe(before);
  });

  it('puts the selected papers’ titles in both the HTML and the text part', async () => {
    const digest = stack.sink.messages.find(isDigest)!;
    const { rows } = await stack.api.deps.pool.query<{ title: string }>(
      'SELECT p.title FROM delivery_papers dp JOIN papers p ON p.id = dp.paper_id ORDER BY dp.position',
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const text = (digest.parsed.text ?? '').replace(/\s+/g, ' ');
    for (const { title } of rows) expect(text).toContain(title.slice(0, 40));
    expect(digest.parsed.subject).toContain(rows[0]!.title.slice(0, 20));
  });
});
