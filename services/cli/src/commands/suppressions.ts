import {
  decodeCursor,
  emailHash,
  findSuppression,
  liftSuppression,
  listSuppressions,
  type SuppressionReason,
  suppress,
} from '@paperboy/db';
import { checkServices, configOrExit, openStore } from './context.ts';
import { printJson, printTable, UsageError, utc } from './output.ts';
import { normaliseAddress, parseLimit } from './subscribers.ts';

export interface SuppressionOptions {
  json: boolean;
  reason?: string;
  email?: string;
  detail?: string;
  limit?: string;
  after?: string;
}

const REASONS: readonly SuppressionReason[] = [
  'unsubscribed',
  'hard-bounce',
  'complaint',
  'manual',
  'erased',
];
const HASH = /^[0-9a-f]{64}$/;

export async function suppressionsCommand(
  action: string | undefined,
  argument: string | undefined,
  options: SuppressionOptions,
): Promise<number> {
  if (action === 'list') return list(options);
  if (action === 'add' && argument) return add(argument, options);
  if (action === 'lift' && argument) return lift(argument, options);
  throw new UsageError('usage: paperboy suppressions list|add EMAIL [--detail TEXT]|lift EMAIL_OR_HASH');
}

async function list(options: SuppressionOptions): Promise<number> {
  if (options.reason && !REASONS.includes(options.reason as SuppressionReason))
    throw new UsageError(`--reason must be one of ${REASONS.join(', ')}`);
  const limit = parseLimit(options.limit, 50);
  const email = options.email ? normaliseAddress(options.email) : undefined;
  const after = options.after ? decodeCursor(options.after, 'suppressions') : undefined;
  if (after === null) throw new UsageError('--after is not a cursor this list printed');
  const config = configOrExit();
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    const page = await listSuppressions(pool, {
      reason: options.reason as SuppressionReason | undefined,
      email,
      limit,
      after,
    });
    if (options.json) {
      printJson(page);
      return 0;
    }
    if (page.items.length === 0) {
      process.stdout.write('no suppressions match\n');
      return 0;
    }
    // Only the hash is kept (an erased reader leaves no address); --email finds one address's entry.
    printTable(
      ['since (UTC)', 'reason', 'email hash', 'detail'],
      page.items.map((entry) => [utc(entry.createdAt), entry.reason, entry.emailHash, entry.detail ?? '']),
    );
    if (page.nextCursor) process.stdout.write(`more: --after ${page.nextCursor}\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

/** A manual suppression: planning and sending both skip the address until it is lifted. */
async function add(address: string, options: SuppressionOptions): Promise<number> {
  const email = normaliseAddress(address);
  if (options.detail && options.detail.length > 500)
    throw new UsageError('--detail takes at most 500 characters');
  const config = configOrExit();
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    await suppress(pool, email, 'manual', options.detail ?? null);
    const stored = await findSuppression(pool, email);
    if (options.json) printJson(stored);
    else process.stdout.write(`${email} is suppressed (manual); nothing more is sent to it\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

async function lift(who: string, options: SuppressionOptions): Promise<number> {
  const hash = HASH.test(who) ? who : emailHash(normaliseAddress(who));
  const config = configOrExit();
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    // Lifting is recorded with who did it (suppression_events); the reason lifted is not needed here.
    const lifted = (await liftSuppression(pool, hash, 'lifted with the paperboy CLI')) !== null;
    if (options.json) printJson({ emailHash: hash, lifted });
    else
      process.stdout.write(
        lifted ? `lifted the suppression of ${who}\n` : `${who} was not suppressed; nothing changed\n`,
      );
    return lifted ? 0 : 1;
  } finally {
    await pool.end();
  }
}
