import type { AddressInfo } from 'node:net';
import { emailHash } from '@paperboy/db';
import { SMTPServer } from 'smtp-server';
import { startStack } from '../test/support/stack.ts';
import { line } from './report.ts';

const READERS = 2_000;

/** A sink that only counts: parsing every message would put the receiver's cost into the figure. */
async function countingSmtpServer(): Promise<{
  url: string;
  received: () => number;
  close(): Promise<void>;
}> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

export async function benchComposeAndSend(): Promise<void> {
  console.log(
    `\nthe daily path for ${READERS} readers in 3 topic profiles (1 worker, 1 mailer, 2 cores shared)`,
  );
  const smtp = await countingSmtpServer();
  const stack = await startStack('bench', {
    env: { SMTP_URL: smtp.url, WORKER_CONCURRENCY: '8', MAILER_CONCURRENCY: '20' },
  });
  const pool = stack.api.deps.pool;
  try {
    const emails = Array.from({ length: READERS }, (_, index) => `bench${index}@example.org`);
    const profiles = ['{diffusion}', '{"reinforcement learning"}', '{}'];
    await pool.query(
      `INSERT INTO subscribers (email, email_hash, status, topics)
       SELECT email, hash, 'active', topics::text[] FROM unnest($1::text[], $2::text[], $3::text[]) AS t(email, hash, topics)`,
      [emails, emails.map(emailHash), emails.map((_, index) => profiles[index % 3]!)],
    );
    const start = performance.now();
    const planned = await stack.plan(new Date(), true);
    const plannedAt = performance.now();
    await waitUntil(async () => {
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM deliveries WHERE status = 'planned'",
      );
      return rows[0]!.n === 0;
    });
    const composedAt = performance.now();
    await waitUntil(async () => smtp.received() >= READERS);
    const sentAt = performance.now();
    const editions = (await pool.query('SELECT 1 FROM digest_editions')).rowCount;
    line(
      'plan (one INSERT … SELECT + bulk enqueue)',
      `${(plannedAt - start).toFixed(0)} ms for ${planned.planned} deliveries`,
    );
    line(
      'plan → all composed',
      `${(composedAt - plannedAt).toFixed(0)} ms (${(READERS / ((composedAt - plannedAt) / 1000)).toFixed(0)} readers/s)`,
    );
    line(
      'plan → all sent over pooled SMTP',
      `${(sentAt - plannedAt).toFixed(0)} ms (${(READERS / ((sentAt - plannedAt) / 1000)).toFixed(0)} messages/s)`,
    );
    line(
      'editions rendered for all readers',
      `${editions} (ratio readers/editions ${(READERS / (editions ?? 1)).toFixed(0)}x)`,
    );
  } finally {
    await stack.close();
    await smtp.close();
  }
}
