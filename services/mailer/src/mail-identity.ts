import type { Config } from '@paperboy/config';

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
