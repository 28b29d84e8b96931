import { execFile } from 'node:child_process';
import type { ReceivedMail } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation, isDataLink, isDigest, isWelcome } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

/**
 * SpamAssassin 4 (Debian's package) with its local rules only (-L: no DNS or network tests), on the
 * raw message as the SMTP sink received it. Returns every rule that hit, with its score.
 */
function spamAssassin(raw: Buffer): Promise<{ rule: string; score: number }[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('spamassassin', ['-L', '-t'], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error)
        return reject(
          new Error(`spamassassin failed (is Debian's spamassassin installed?): ${error.message}`),
        );
      const report = stdout.split('Content analysis details:')[1];
      if (!report) return reject(new Error(`no SpamAssassin report in:\n${stdout.slice(-2000)}`));
      const hits = [...report.matchAll(/^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s/gm)].map((match) => ({
        rule: match[2]!,
        score: Number(match[1]),
      }));
      resolve(hits);
    });
    child.stdin!.end(raw);
  });
}

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https://paperboy\\.test${path}[A-Za-z0-9_.-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}

describe('every kind of mail, scored by SpamAssassin with local rules', () => {
  let stack: Stack;
  const mails = new Map<string, ReceivedMail>();
  const today = new Date('2026-11-30T12:00:00Z');

  beforeAll(async () => {
    stack = await startStack('spam_score', {
      env: {
        POSTAL_ADDRESS: 'paperboy, 1 Example Street, 10115 Berlin, Germany',
        // The digest is planned for `today`; on any other clock its day would be over (expired).
        CLOCK_START: today.toISOString(),
      },
    });
    const signup = await fetch(`${stack.api.address}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'scored@example.org',
        topics: ['diffusion'],
        timezone: 'UTC',
        sendHour: 8,
      }),
    });
    expect(signup.status).toBe(202);
    const [confirmation] = await stack.sink.waitFor(isConfirmation);
    mails.set('confirmation', confirmation!);
    const confirmLink = linkIn(confirmation!.parsed.text ?? '', '/confirm/');
    expect((await fetch(stack.local(confirmLink), { method: 'POST' })).status).toBe(200);
    const [welcome] = await stack.sink.waitFor(isWelcome);
    mails.set('welcome', welcome!);
    expect(await stack.plan(today)).toMatchObject({ planned: 1 });
    const [digest] = await stack.sink.waitFor(isDigest);
    mails.set('digest', digest!);
    const manageToken = linkIn(welcome!.parsed.text ?? '', '/manage/').split('/manage/')[1]!;
    const asked = await fetch(`${stack.api.address}/v1/subscriptions/me/data-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manageToken}` },
    });
    expect(asked.status).toBe(202);
    const [dataLink] = await stack.sink.waitFor(isDataLink);
    mails.set('your data link', dataLink!);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it.each(['confirmation', 'welcome', 'digest', 'your data link'])(
    'the %s hits no rule that scores above zero',
    async (kind) => {
      const hits = await spamAssassin(mails.get(kind)!.raw);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.filter((hit) => hit.score > 0)).toEqual([]);
    },
    60_000,
  );

  it.each(['confirmation', 'welcome', 'digest', 'your data link'])(
    'the %s loads nothing from anywhere: no images, web fonts or style sheets',
    (kind) => {
      const html = String(mails.get(kind)!.parsed.html);
      expect(html).not.toMatch(/<img\b|<link\b|@import|url\(|@font-face/i);
      expect(html).not.toContain('fonts.googleapis.com');
    },
  );

  it('the your-data link opens the page to download or erase', async () => {
    const link = linkIn(mails.get('your data link')!.parsed.text ?? '', '/data/');
    const page = await fetch(stack.local(link));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Erase my data');
  });
});
