import { execFile } from 'node:child_process';
import type { ReceivedMail } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation, isDataLink, isDigest, isWelcome } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

type Hit = { rule: string; score: number };

/** The rules in one report's table: from below its dashed rule to the blank line that ends it. */
function hitsIn(report: string): Hit[] {
  const table = report.split(/^-{4} -+ -+\s*$/m)[1]?.split(/\r?\n\s*\r?\n/)[0] ?? '';
  return [...table.matchAll(/^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s/gm)].map((match) => ({
    rule: match[2]!,
    score: Number(match[1]),
  }));
}

/**
 * SpamAssassin 4 (Debian's package) with its local rules only (-L: no DNS or network tests), on the
 * raw messages as the SMTP sink received them, all in one run (--mbox): loading its rules costs
 * seconds of CPU, so once for every mail instead of once a mail. Returns each message's hits, in order.
 */
function spamAssassin(raws: Buffer[]): Promise<Hit[][]> {
  // An mbox starts each message at a line "From "; a message with such a line would be cut in two.
  for (const raw of raws) expect(raw.toString('latin1')).not.toMatch(/^From /m);
  const mbox = Buffer.concat(
    raws.flatMap((raw) => [
      Buffer.from('From paperboy@example.org Mon Nov 30 12:00:00 2026\n'),
      raw,
      Buffer.from('\n'),
    ]),
  );
  return new Promise((resolve, reject) => {
    const child = execFile(
      'spamassassin',
      ['-L', '-t', '--mbox'],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error)
          return reject(
            new Error(`spamassassin failed (is Debian's spamassassin installed?): ${error.message}`),
          );
        const reports = stdout.split('Content analysis details:').slice(1);
        if (reports.length !== raws.length)
          return reject(
            new Error(
              `${reports.length} SpamAssassin reports for ${raws.length} mails in:\n${stdout.slice(-2000)}`,
            ),
          );
        resolve(reports.map(hitsIn));
      },
    );
    child.stdin!.end(mbox);
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

  const KINDS = ['confirmation', 'welcome', 'digest', 'your data link'];
  let scored: Promise<Hit[][]> | undefined;

  it.each(KINDS)(
    'the %s hits no rule that scores above zero',
    async (kind) => {
      scored ??= spamAssassin(KINDS.map((each) => mails.get(each)!.raw));
      const hits = (await scored)[KINDS.indexOf(kind)]!;
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.filter((hit) => hit.score > 0)).toEqual([]);
    },
    60_000,
  );

  it.each(KINDS)('the %s loads nothing from anywhere: no images, web fonts or style sheets', (kind) => {
    const html = String(mails.get(kind)!.parsed.html);
    expect(html).not.toMatch(/<img\b|<link\b|@import|url\(|@font-face/i);
    expect(html).not.toContain('fonts.googleapis.com');
  });

  it('the your-data link opens the page to download or erase', async () => {
    const link = linkIn(mails.get('your data link')!.parsed.text ?? '', '/data/');
    const page = await fetch(stack.local(link));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Erase my data');
  });
});
