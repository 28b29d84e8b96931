import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '@paperboy/config';
import { fail } from './context.ts';

export interface KeygenOptions {
  selector?: string;
  domain?: string;
  /** A file to create (mode 0600, never overwritten), or `-` for standard output. */
  out?: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Domain and selector from the flags, else from the configuration (DKIM_*, then MAIL_FROM's domain). */
function names(options: KeygenOptions): { domain: string; selector: string } {
  let configured: { domain?: string; selector?: string } = {};
  try {
    const config = loadConfig();
    configured = {
      domain: config.dkimDomain ?? config.bounceDomain,
      selector: config.dkimSelector ?? undefined,
    };
  } catch {
    // A half-done DKIM setup is the usual reason to run keygen; the flags are enough then.
  }
  const domain = (options.domain ?? configured.domain)?.toLowerCase();
  const selector = (options.selector ?? configured.selector ?? 'paperboy').toLowerCase();
  if (!domain || !LABEL.test(domain) || !domain.includes('.')) fail('dkim keygen needs --domain example.org');
  if (!LABEL.test(selector)) fail(`"${selector}" is not a DNS label usable as a selector`);
  return { domain, selector };
}

/** DNS TXT strings are at most 255 characters each; resolvers join them back together. */
function txtRecord(domain: string, selector: string, publicKeyBase64: string): string {
  const value = `v=DKIM1; k=rsa; p=${publicKeyBase64}`;
  const chunks = value.match(/.{1,255}/g) ?? [];
  return `${selector}._domainkey.${domain}. IN TXT ( ${chunks.map((chunk) => `"${chunk}"`).join(' ')} )`;
}

/**
 * `paperboy dkim keygen`: an RSA 2048 key pair. The private key goes into a new file only its
 * owner can read (or to stdout with --out -); the DNS record to publish is printed.
 */
export async function dkimKeygen(options: KeygenOptions): Promise<number> {
  const { domain, selector } = names(options);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const record = txtRecord(domain, selector, publicBase64);
  const out = options.out ?? `dkim-${selector}.pem`;
  const setting = `DKIM_DOMAIN=${domain} DKIM_SELECTOR=${selector}`;
  if (out === '-') {
    process.stdout.write(privatePem);
    // The record goes to stderr so `> key.pem` captures the key alone.
    process.stderr.write(
      `Publish this DNS record, then set ${setting} DKIM_PRIVATE_KEY_FILE=<the saved key>:\n${record}\n`,
    );
    return 0;
  }
  try {
    // 'wx': never overwrite a key that may already be published.
    await writeFile(out, privatePem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    fail(
      `cannot create ${out}: ${(error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists (keys are never overwritten)' : (error as Error).message}`,
    );
  }
  process.stdout.write(
    `Wrote the private key to ${out} (mode 0600). Publish this DNS record, then set ${setting} DKIM_PRIVATE_KEY_FILE=${out}:\n${record}\n`,
  );
  return 0;
}
