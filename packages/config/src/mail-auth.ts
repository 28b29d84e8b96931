import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Parser } from './env-parsers.ts';

// Mail authentication and bounce handling (issue 9): DKIM signing, the VERP bounce domain, and
// the secrets of the bounce webhooks. Checked after the per-variable parsers, because the DKIM
// variables only make sense together.

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const SELECTOR = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export const hostName: Parser<string> = (raw) => {
  if (!HOST_NAME.test(raw)) throw new Error(`must be a domain name like "example.org", got "${raw}"`);
  return raw.toLowerCase();
};

export const dkimSelector: Parser<string> = (raw) => {
  if (!SELECTOR.test(raw)) throw new Error(`must be a DNS label like "paperboy2026", got "${raw}"`);
  return raw.toLowerCase();
};

/** A PEM key in one environment variable; `\n` escapes are accepted since many tools cannot hold newlines. */
export const pem: Parser<string> = (raw) => raw.replaceAll('\\n', '\n');

/** SNS topic ARNs whose messages the SES adapter accepts; anyone can sign SNS messages for their own topic. */
export const topicArns: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn.length > 0)
    .map((arn) => {
      if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(arn))
        throw new Error(
          `must list SNS topic ARNs like "arn:aws:sns:eu-west-1:123456789012:ses-bounces", got "${arn}"`,
        );
      return arn;
    });

export interface MailAuthSettings {
  mailFrom: string;
  dkimDomain: string | null;
  dkimSelector: string | null;
  dkimPrivateKey: string | null;
  dkimPrivateKeyFile: string | null;
  bounceDomain: string | null;
}

/** The domain of a mailbox like `paperboy <digest@example.org>`. */
export function mailboxDomain(mailbox: string): string {
  const address = /<([^>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox;
  return (address.split('@')[1] ?? 'localhost').trim().toLowerCase();
}

/**
 * DKIM is all or nothing: a domain, a selector and exactly one key source, and the key must be a
 * private key nodemailer can sign with. Fills bounceDomain from MAIL_FROM when unset and reads
 * the key file, so every process signs with the same key it was validated with.
 */
export function resolveMailAuth(settings: MailAuthSettings, problems: string[]): void {
  settings.bounceDomain ??= mailboxDomain(settings.mailFrom);
  const { dkimDomain, dkimSelector, dkimPrivateKey, dkimPrivateKeyFile } = settings;
  if (dkimPrivateKey !== null && dkimPrivateKeyFile !== null) {
    problems.push('DKIM_PRIVATE_KEY and DKIM_PRIVATE_KEY_FILE are both set; set one of them');
    return;
  }
  const given = {
    DKIM_DOMAIN: dkimDomain,
    DKIM_SELECTOR: dkimSelector,
    DKIM_PRIVATE_KEY: dkimPrivateKey ?? dkimPrivateKeyFile,
  };
  const missing = Object.entries(given).filter(([, value]) => value === null);
  if (missing.length === 3) return;
  if (missing.length > 0) {
    const names = missing.map(([name]) =>
      name === 'DKIM_PRIVATE_KEY' ? 'DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE)' : name,
    );
    problems.push(
      `DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and a private key together; missing ${names.join(', ')}`,
    );
    return;
  }
  let key = dkimPrivateKey;
  if (dkimPrivateKeyFile !== null) {
    try {
      key = readFileSync(dkimPrivateKeyFile, 'utf8');
    } catch (error) {
      problems.push(
        `DKIM_PRIVATE_KEY_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${dkimPrivateKeyFile}`,
      );
      return;
    }
  }
  const source = dkimPrivateKeyFile === null ? 'DKIM_PRIVATE_KEY' : 'DKIM_PRIVATE_KEY_FILE';
  try {
    const parsed = createPrivateKey(key ?? '');
    if (parsed.asymmetricKeyType !== 'rsa') {
      problems.push(
        `${source} must be an RSA private key (npx paperboy dkim keygen makes one), got ${parsed.asymmetricKeyType}`,
      );
      return;
    }
  } catch {
    // Never echo the value: it is a secret.
    problems.push(`${source} is not a PEM private key (npx paperboy dkim keygen makes one)`);
    return;
  }
  settings.dkimPrivateKey = key;
}
