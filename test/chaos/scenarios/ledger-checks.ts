import { emailHash } from '@paperboy/db';
import type { ChaosRun } from '../harness.ts';
import type { Check } from '../verdict.ts';

export async function nobodySuppressed(run: ChaosRun): Promise<Check> {
  const rows = await run.database.query<{ reason: string; count: number }>(
    'SELECT reason, count(*)::int AS count FROM suppressions GROUP BY reason',
  );
  return {
    name: 'nobody suppressed',
    ok: rows.length === 0,
    detail: rows.map((row) => `${row.count} ${row.reason}`).join(', '),
  };
}

export async function nobodyFailed(run: ChaosRun): Promise<Check> {
  const [row] = await run.database.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM deliveries WHERE status = 'failed'`,
  );
  return { name: 'no delivery failed', ok: row!.count === 0, detail: `${row!.count} failed` };
}

/** Exactly these addresses are suppressed, each as a hard bounce. */
export async function suppressedExactly(run: ChaosRun, emails: string[]): Promise<Check> {
  const rows = await run.database.query<{ email_hash: string; reason: string }>(
    'SELECT email_hash, reason FROM suppressions',
  );
  const wanted = new Set(emails.map(emailHash));
  const bounced = rows.filter((row) => wanted.has(row.email_hash) && row.reason === 'hard-bounce').length;
  const others = rows.filter((row) => !wanted.has(row.email_hash)).length;
  return {
    name: 'refused readers suppressed, nobody else',
    ok: bounced === wanted.size && others === 0,
    detail: `${bounced}/${wanted.size} suppressed as hard-bounce, ${others} other suppression(s)`,
  };
}
