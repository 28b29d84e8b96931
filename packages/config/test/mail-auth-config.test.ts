import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('DKIM and bounce settings', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'paperboy-config-'));
    await writeFile(join(scratch, 'key.pem'), rsa, { mode: 0o600 });
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('leaves DKIM off with none set and derives the bounce domain from MAIL_FROM', () => {
    const config = loadConfig({ MAIL_FROM: 'paperboy <digest@News.Example.org>' });
    expect(config).toMatchObject({
      dkimDomain: null,
      dkimPrivateKey: null,
      bounceDomain: 'news.example.org',
    });
    expect(loadConfig({ BOUNCE_DOMAIN: 'bounce.example.org' }).bounceDomain).toBe('bounce.example.org');
  });

  it('takes the key inline (with \\n escapes) or from a file', () => {
    const inline = loadConfig({
      DKIM_DOMAIN: 'example.org',
      DKIM_SELECTOR: 's1',
      DKIM_PRIVATE_KEY: rsa.replaceAll('\n', '\\n'),
    });
    expect(inline.dkimPrivateKey).toBe(rsa);
    const fromFile = loadConfig({
      DKIM_DOMAIN: 'example.org',
      DKIM_SELECTOR: 's1',
      DKIM_PRIVATE_KEY_FILE: join(scratch, 'key.pem'),
    });
    expect(fromFile.dkimPrivateKey).toBe(rsa);
  });

  it('is all or none, and says which part is missing', () => {
    expect(problems({ DKIM_DOMAIN: 'example.org' })).toEqual([
      expect.stringMatching(/missing DKIM_SELECTOR, DKIM_PRIVATE_KEY \(or DKIM_PRIVATE_KEY_FILE\)/),
    ]);
    expect(problems({ DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: rsa })).toEqual([
      expect.stringMatching(/missing DKIM_DOMAIN/),
    ]);
    expect(
      problems({
        DKIM_DOMAIN: 'example.org',
        DKIM_SELECTOR: 's1',
        DKIM_PRIVATE_KEY: rsa,
        DKIM_PRIVATE_KEY_FILE: 'x.pem',
      }),
    ).toEqual([expect.stringMatching(/both set/)]);
  });

  it('refuses a key that does not parse, is not RSA, or a file that cannot be read, without echoing the key', () => {
    const base = { DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1' };
    const garbage = problems({ ...base, DKIM_PRIVATE_KEY: 'not-a-key-but-a-secret-value' });
    expect(garbage).toEqual([expect.stringMatching(/DKIM_PRIVATE_KEY is not a PEM private key/)]);
    expect(garbage.join()).not.toContain('secret-value');
    expect(problems({ ...base, DKIM_PRIVATE_KEY: ed25519 })).toEqual([
      expect.stringMatching(/must be an RSA private key/),
    ]);
    expect(problems({ ...base, DKIM_PRIVATE_KEY_FILE: join(scratch, 'missing.pem') })).toEqual([
      expect.stringMatching(/DKIM_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/),
    ]);
  });

  it('reports bad names, webhook secrets and topic ARNs with everything else', () => {
    expect(
      problems({
        DKIM_DOMAIN: 'not a domain',
        DKIM_SELECTOR: 'bad_selector!',
        DKIM_PRIVATE_KEY: rsa,
        BOUNCE_WEBHOOK_SECRET: 'short',
        POSTMARK_WEBHOOK_USER: 'postmark',
        SES_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:ok,not-an-arn',
      }),
    ).toEqual([
      expect.stringContaining('DKIM_DOMAIN'),
      expect.stringContaining('DKIM_SELECTOR'),
      expect.stringContaining('BOUNCE_WEBHOOK_SECRET'),
      expect.stringContaining('SES_SNS_TOPIC_ARNS'),
      expect.stringContaining('POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD'),
    ]);
  });
});
