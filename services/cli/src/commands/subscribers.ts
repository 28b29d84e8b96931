import { domainToASCII } from 'node:url';
import {
  decodeCursor,
  findSubscriber,
  findSubscriberByEmail,
  findSuppression,
  listSubscribers,
  recentDeliveriesOf,
  recordSignup,
  type SubscriberStatus,
} from '@paperboy/db';
import { closeQueues, createQueues, createRedisConnection, enqueue } from '@paperboy/queue';
import { checkServices, configOrExit, openStore } from './context.ts';
import { printJson, printTable, UsageError, utc } from './output.ts';

export interface SubscriberOptions {
  json: boolean;
  status?: string;
  search?: string;
  limit?: string;
  after?: string;
  topics?: string;
  timezone?: string;
  hour?: string;
}

const STATUSES: readonly SubscriberStatus[] = ['pending', 'active', 'unsubscribed'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same normalisation the api applies: trimmed, domain lower-cased and punycoded. */
export function normaliseAddress(input: string): string {
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf('@');
  const domain = at > 0 ? domainToASCII(trimmed.slice(at + 1).toLowerCase()) : '';
  if (
    trimmed.length > 254 ||
    /[\s<>,;"]/.test(trimmed) ||
    at > 64 ||
    !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)
  )
    throw new UsageError(`"${input}" is not an email address`);
  return `${trimmed.slice(0, at)}@${domain}`;
}

export function parseLimit(raw: string | undefined, fallback: number): number {
  const limit = Number(raw ?? fallback);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError('--limit must be a whole number from 1 to 1000');
  return limit;
}

export async function subscribersCommand(
  action: string | undefined,
  argument: string | undefined,
  options: SubscriberOptions,
): Promise<number> {
  if (action === 'list') return list(options);
  if (action === 'show' && argument) return show(argument, options);
  if (action === 'add' && argument) return add(argument, options);
  throw new UsageError('usage: paperboy subscribers list|show EMAIL_OR_ID|add EMAIL');
}

async function list(options: SubscriberOptions): Promise<number> {
  if (options.status && !STATUSES.includes(options.status as SubscriberStatus))
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = parseLimit(options.limit, 50);
  const after = options.after ? decodeCursor(options.after, 'subscribers') : undefined;
  if (after === null) throw new UsageError('--after is not a cursor this list printed');
  const config = configOrExit();
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    const page = await listSubscribers(pool, {
      status: options.status as SubscriberStatus | undefined,
      search: options.search,
      limit,
      after,
    });
    if (options.json) {
      printJson(page);
      return 0;
    }
    if (page.items.length === 0) {
      process.stdout.write('no subscribers match\n');
      return 0;
    }
    printTable(
      ['created (UTC)', 'email', 'status', 'timezone', 'hour', 'papers', 'topics'],
      page.items.map((reader) => [
        utc(reader.createdAt),
        reader.email,
        reader.status,
        reader.timezone,
        String(reader.sendHour),
        String(reader.paperCount),
        reader.topics.join(', '),
      ]),
    );
    if (page.nextCursor) process.stdout.write(`more: --after ${page.nextCursor}\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

async function show(who: string, options: SubscriberOptions): Promise<number> {
  const byId = UUID.test(who);
  const email = byId ? null : normaliseAddress(who);
  const config = configOrExit();
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    const reader = byId ? await findSubscriber(pool, who) : await findSubscriberByEmail(pool, email!);
    // An erased or never-known address can still be suppressed; that is worth telling.
    const suppression = await findSuppression(pool, reader?.email ?? email ?? '');
    if (!reader) {
      if (options.json) printJson({ subscriber: null, suppression });
      else
        process.stdout.write(
          `no subscriber ${who}${suppression ? ` (the address is suppressed: ${suppression.reason})` : ''}\n`,
        );
      return 1;
    }
    const { tokenVersion: _tokenVersion, ...subscriber } = reader;
    const deliveries = await recentDeliveriesOf(pool, reader.id, 10);
    if (options.json) {
      printJson({ subscriber, suppression, deliveries });
      return 0;
    }
    const facts: [string, string][] = [
      ['id', reader.id],
      ['email', reader.email],
      ['status', reader.status],
      ['topics', reader.topics.join(', ') || '(general trending)'],
      ['sends at', `${reader.sendHour}:00 ${reader.timezone}, ${reader.paperCount} papers`],
      ['paused until', utc(reader.pausedUntil)],
      ['created', utc(reader.createdAt)],
      ['confirmed', utc(reader.confirmedAt)],
      ['unsubscribed', utc(reader.unsubscribedAt)],
      ['suppressed', suppression ? `${suppression.reason} since ${utc(suppression.createdAt)}` : 'no'],
    ];
    for (const [label, value] of facts) process.stdout.write(`${label.padEnd(13)} ${value}\n`);
    process.stdout.write('\n');
    if (deliveries.length === 0) process.stdout.write('no deliveries yet\n');
    else
      printTable(
        ['local date', 'status', 'sent (UTC)', 'last error'],
        deliveries.map((delivery) => [
          delivery.localDate,
          delivery.status,
          utc(delivery.sentAt),
          delivery.lastError ?? '',
        ]),
      );
    return 0;
  } finally {
    await pool.end();
  }
}

/**
 * Signs an address up as the form does: pending until the reader confirms from the mail this
 * queues. Operators add people who asked; consent is still the reader's click.
 */
async function add(address: string, options: SubscriberOptions): Promise<number> {
  const email = normaliseAddress(address);
  const topics = (options.topics ?? '')
    .split(',')
    .map((topic) => topic.trim())
    .filter(Boolean);
  if (topics.length > 20 || topics.some((topic) => topic.length > 100))
    throw new UsageError('--topics takes at most 20 comma-separated topics of up to 100 characters');
  const timezone = options.timezone ?? 'UTC';
  if (!Intl.supportedValuesOf('timeZone').includes(timezone) && timezone !== 'UTC')
    throw new UsageError(`--timezone "${timezone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  const sendHour = Number(options.hour ?? 8);
  if (!Number.isInteger(sendHour) || sendHour < 0 || sendHour > 23)
    throw new UsageError('--hour must be a whole number from 0 to 23');
  const config = configOrExit();
  await checkServices(config, true);
  const pool = await openStore(config);
  const connection = createRedisConnection(config.redisUrl);
  const queues = createQueues(connection, config);
  try {
    const outcome = await recordSignup(
      pool,
      email,
      { topics, timezone, sendHour, paperCount: config.papersPerDigest },
      config.confirmationResendMinutes * 60,
    );
    if (outcome.sendConfirmation)
      await enqueue(queues, { name: 'send-confirmation', data: { subscriberId: outcome.subscriberId } });
    const reader = await findSubscriber(pool, outcome.subscriberId);
    const result = {
      id: outcome.subscriberId,
      status: reader?.status,
      confirmationQueued: outcome.sendConfirmation,
    };
    if (options.json) printJson(result);
    else
      process.stdout.write(
        reader?.status === 'active'
          ? `${email} is already an active subscriber (${outcome.subscriberId})\n`
          : `${email} added as pending (${outcome.subscriberId}); ${outcome.sendConfirmation ? 'a confirmation mail is queued' : 'a confirmation mail went out recently, none queued'}\n`,
      );
    return 0;
  } finally {
    await closeQueues(queues);
    await connection.quit();
    await pool.end();
  }
}
