import { emailHash } from '@paperboy/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDigest } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

const READERS = 25;

describe('exactly one digest per reader per day', () => {
  let stack: Stack;
  const morning = new Date('2026-11-30T09:30:00Z');

  beforeAll(async () => {
    stack = await startStack('exactly_once', { workers: 2, env: { CLOCK_START: morning.toISOString() } });
    const emails = Array.from({ length: READERS }, (_, index) => `reader${index}@example.org`);
    await stack.api.deps.pool.query(
      `INSERT INTO subscribers (email, email_hash, status, timezone, send_hour)
       SELECT email, hash, 'active', 'UTC', 7 FROM unnest($1::text[], $2::text[]) AS t(email, hash)`,
      [emails, emails.map(emailHash)],
    );
    // A row with a zone Postgres does not know (written by an older version, or a newer Node's
    // zone list) must not stop everyone else's digest.
    await stack.api.deps.pool.query(
      `INSERT INTO subscribers (email, email_hash, status, timezone, send_hour)
       VALUES ('martian@example.org', $1, 'active', 'Mars/Olympus_Mons', 0)`,
      [emailHash('martian@example.org')],
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sends once when two workers plan at the same moment and planning runs again', async () => {
    const [first, second] = await Promise.all([stack.plan(morning), stack.plan(morning)]);
    expect(first!.planned + second!.planned).toBe(READERS);
    const again = await stack.plan(new Date(morning.getTime() + 60 * 60 * 1000));
    expect(again.planned).toBe(0);

    const digests = await stack.sink.waitFor(isDigest, READERS);
    await new Promise((resolve) => setTimeout(resolve, 500)); // give a duplicate, if any, time to arrive
    const recipients = stack.sink.messages.filter(isDigest).flatMap((mail) => mail.envelopeTo);
    expect(digests.length).toBe(READERS);
    expect(new Set(recipients).size).toBe(READERS);
    expect(recipients.length).toBe(READERS);

    const { rows } = await stack.api.deps.pool.query<{ status: string; count: number }>(
      'SELECT status, count(*)::int AS count FROM deliveries GROUP BY status',
    );
    expect(rows).toEqual([{ status: 'sent', count: READERS }]);
  });

  it('shares one edition between readers with the same selection', async () => {
    const { rows } = await stack.api.deps.pool.query<{ editions: number }>(
      'SELECT count(DISTINCT edition_id)::int AS editions FROM deliveries',
    );
    expect(rows[0]!.editions).toBe(1);
  });
});
