import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSubscriberByEmail } from '@paperboy/db';
import { mailRefFromAddress } from '@paperboy/links';
import type { ReceivedMail } from '@paperboy/testing';
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation, isDigest, isWelcome } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOMAIN = 'paperboy.example';

/** The DNS record `paperboy dkim keygen` printed, as a resolver would answer a TXT query. */
function txtFrom(output: string): { name: string; strings: string[] } {
  const match = /^(\S+)\. IN TXT \( (.+) \)$/m.exec(output);
  if (!match) throw new Error(`no TXT record in:\n${output}`);
  return { name: match[1]!, strings: [...match[2]!.matchAll(/"([^"]*)"/g)].map((part) => part[1]!) };
}

async function verify(raw: Buffer | string, record: { name: string; strings: string[] }) {
  const result = await dkimVerify(raw, {
    // mailauth asks DNS for <selector>._domainkey.<domain>; only the generated key answers.
    resolver: async (name: string, type: string) => {
      if (type === 'TXT' && name === record.name) return [record.strings];
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    },
  });
  return result.results;
}

describe('DKIM and VERP on every mail a reader gets', () => {
  let stack: Stack;
  let scratch: string;
  let keygenOutput: string;
  const reader = 'signed.reader@example.org';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'paperboy-dkim-'));
    const keyFile = join(scratch, 'dkim.pem');
    const run = spawnSync(
      process.execPath,
      [
        'services/cli/bin/paperboy.js',
        'dkim',
        'keygen',
        '--domain',
        DOMAIN,
        '--selector',
        'mail2026',
        '--out',
        keyFile,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' } },
    );
    expect(run.status, run.stderr).toBe(0);
    keygenOutput = run.stdout;
    stack = await startStack('mail_auth', {
      env: {
        MAIL_FROM: `paperboy <digest@${DOMAIN}>`,
        DKIM_DOMAIN: DOMAIN,
        DKIM_SELECTOR: 'mail2026',
        DKIM_PRIVATE_KEY_FILE: keyFile,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('keygen writes the private key readable by its owner only and prints the record to publish', async () => {
    expect((await stat(join(scratch, 'dkim.pem'))).mode & 0o777).toBe(0o600);
    const record = txtFrom(keygenOutput);
    expect(record.name).toBe(`mail2026._domainkey.${DOMAIN}`);
    expect(record.strings.join('')).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(record.strings.every((part) => part.length <= 255)).toBe(true);
  });

  it('signs confirmation, welcome and digest (relaxed/relaxed, List-* covered) and sends each from its own VERP address', async () => {
    const record = txtFrom(keygenOutput);
    const signup = await fetch(`${stack.api.address}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: reader, topics: ['diffusion'], timezone: 'UTC', sendHour: 0 }),
    });
    expect(signup.status).toBe(202);
    const [confirmation] = await stack.sink.waitFor(
      (mail) => isConfirmation(mail) && mail.envelopeTo.includes(reader),
    );
    const confirmLink = /https:\/\/paperboy\.test\/confirm\/[A-Za-z0-9_.-]+/.exec(
      confirmation!.parsed.text ?? '',
    )![0];
    expect((await fetch(stack.local(confirmLink), { method: 'POST' })).status).toBe(200);
    const [welcome] = await stack.sink.waitFor(isWelcome);
    await stack.plan(new Date(), true);
    const [digest] = await stack.sink.waitFor(isDigest);
    const subscriber = (await findSubscriberByEmail(stack.api.deps.pool, reader))!;
    const { rows } = await stack.api.deps.pool.query<{ id: string }>(
      'SELECT id FROM deliveries WHERE subscriber_id = $1',
      [subscriber.id],
    );

    const expected = [
      [confirmation!, { kind: 'confirmation', subscriberId: subscriber.id }],
      [welcome!, { kind: 'welcome', subscriberId: subscriber.id }],
      [digest!, { kind: 'digest', deliveryId: rows[0]!.id }],
    ] as const;
    for (const [mail, ref] of expected) {
      const [result] = await verify(mail.raw, record);
      expect(result?.status.result, `${mail.parsed.subject}: ${result?.status.comment}`).toBe('pass');
      expect(result?.signingDomain).toBe(DOMAIN);
      expect(result?.selector).toBe('mail2026');
      const signature = (mail as ReceivedMail).header('dkim-signature') ?? '';
      expect(signature).toContain('c=relaxed/relaxed');
      const signed = /[;\s]h=([^;]+)/.exec(signature)![1]!.replace(/\s+/g, '').toLowerCase().split(':');
      expect(signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id']));
      if (mail !== confirmation) {
        expect(signed).toEqual(
          expect.arrayContaining(['list-id', 'list-unsubscribe', 'list-unsubscribe-post']),
        );
      }
      expect(mail.envelopeFrom).toMatch(new RegExp(`^bounces\\+[0-9a-z]{53}@${DOMAIN.replace('.', '\\.')}$`));
      expect(mailRefFromAddress(stack.config.tokenSecret, mail.envelopeFrom, DOMAIN)).toEqual(ref);
      expect(mailRefFromAddress(stack.config.tokenSecret, mail.envelopeFrom.toUpperCase(), DOMAIN)).toEqual(
        ref,
      );
    }
  });

  it('fails verification once a signed header or the body is changed in transit', async () => {
    const record = txtFrom(keygenOutput);
    const [digest] = await stack.sink.waitFor(isDigest);
    const raw = digest!.raw.toString('utf8');
    const tamperedHeader = raw.replace(
      /^List-Unsubscribe:\s*<([^>]+)>/m,
      'List-Unsubscribe: <https://evil.example/u/x>',
    );
    expect(tamperedHeader).not.toBe(raw);
    expect((await verify(tamperedHeader, record))[0]?.status.result).toBe('fail');
    const tamperedSubject = raw.replace(/^Subject: /m, 'Subject: FREE ');
    expect((await verify(tamperedSubject, record))[0]?.status.result).toBe('fail');
    const tamperedBody = raw.replace('trending', 'tending');
    expect((await verify(tamperedBody, record))[0]?.status.result).not.toBe('pass');
  });
});
