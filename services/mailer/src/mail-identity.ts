import type { Config } from '@paperboy/config';
import { type MailRef, verpAddress } from '@paperboy/links';

/** The domain of MAIL_FROM: it names our Message-IDs and List-Id, as bulk-sender rules expect. */
export function senderDomain(config: Pick<Config, 'mailFrom'>): string {
  const address = /<([^>]+)>\s*$/.exec(config.mailFrom)?.[1] ?? config.mailFrom;
  return address.split('@')[1] ?? 'localhost';
}

/**
 * Deterministic per delivery: a retried send after a crash reuses the same Message-ID, so
 * receiving systems can recognise the duplicate.
 */
export function digestMessageId(config: Pick<Config, 'mailFrom'>, deliveryId: string): string {
  return `<${deliveryId}.digest@${senderDomain(config)}>`;
}

export function listId(config: Pick<Config, 'mailFrom'>): string {
  return `paperboy daily digest <digest.${senderDomain(config)}>`;
}

/**
 * The headers every signature covers. RFC 8058 asks for List-Unsubscribe and
 * List-Unsubscribe-Post to be signed; nodemailer skips names a message does not carry (the
 * confirmation has no List-* headers), so one list fits every mail.
 */
export const DKIM_SIGNED_HEADERS =
  'From:To:Subject:Date:Message-ID:List-Id:List-Unsubscribe:List-Unsubscribe-Post:MIME-Version:Content-Type';

type MailAuthConfig = Pick<
  Config,
  'tokenSecret' | 'bounceDomain' | 'dkimDomain' | 'dkimSelector' | 'dkimPrivateKey'
>;

/** nodemailer's `dkim` option (relaxed/relaxed, rsa-sha256), or undefined when DKIM is off. */
export function dkimOptions(config: MailAuthConfig) {
  if (!config.dkimDomain || !config.dkimSelector || !config.dkimPrivateKey) return undefined;
  return {
    domainName: config.dkimDomain,
    keySelector: config.dkimSelector,
    privateKey: config.dkimPrivateKey,
    headerFieldNames: DKIM_SIGNED_HEADERS,
  };
}

/** The envelope sender (MAIL FROM, later Return-Path) of one message: its signed VERP address. */
export function envelopeSender(config: MailAuthConfig, ref: MailRef): string {
  return verpAddress(config.tokenSecret, ref, config.bounceDomain);
}

export type { MailAuthConfig };
