import { findSubscriberByEmail } from '@paperboy/db';
import { signToken } from '@paperboy/links';
import type { ReceivedMail } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation, isWelcome } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // A short backoff: a group's confirmation job that met a 4xx runs again within the test.
  stack = await startStack('signup_mail', {
    env: { SEND_BACKOFF_MS: '200', SIGNUPS_PER_IP_PER_HOUR: '1000' },
  });
});
afterAll(async () => {
  await stack?.close();
});

async function signUp(email: string) {
  const response = await fetch(`${stack.api.address}/v1/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  expect(response.status).toBe(202);
}

/** Waits until the mailer has nothing left to do, so counting mails afterwards is final. */
async function mailerIdle() {
  const queue = stack.api.deps.queues.email;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((count) => count === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the email queue never drained');
}

const to = (email: string) => (mail: ReceivedMail) => mail.envelopeTo.includes(email);
const confirmationTo = (email: string) => (mail: ReceivedMail) => to(email)(mail) && isConfirmation(mail);
const confirmLink = (mail: ReceivedMail) => {
  const match = /https:\/\/paperboy\.test\/confirm\/[A-Za-z0-9_.-]+/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error('no confirmation link in the mail');
  return match[0];
};

describe('confirmation mails', () => {
  it('sends one confirmation however often a pending address signs up within the interval', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) await signUp('eager@example.org');
    await stack.sink.waitFor(confirmationTo('eager@example.org'));
    await mailerIdle();
    expect(stack.sink.messages.filter(to('eager@example.org'))).toHaveLength(1);
  });

  it('sends another once the interval has passed', async () => {
    await signUp('patient@example.org');
    await stack.sink.waitFor(confirmationTo('patient@example.org'));
    await mailerIdle();
    // As if CONFIRMATION_RESEND_MINUTES had gone by since the first mail.
    await stack.api.deps.pool.query(
      `UPDATE subscribers SET confirmation_sent_at = now() - make_interval(mins => $1 + 1) WHERE email = $2`,
      [stack.config.confirmationResendMinutes, 'patient@example.org'],
    );
    await signUp('patient@example.org');
    await stack.sink.waitFor(confirmationTo('patient@example.org'), 2);
  });

  it('puts an expiring link in the mail; an expired one confirms nothing', async () => {
    await signUp('late@example.org');
    const [mail] = await stack.sink.waitFor(confirmationTo('late@example.org'));
    const token = confirmLink(mail!).split('/confirm/')[1]!;
    const [purpose, subscriberId, version, expiresAt] = Buffer.from(token.split('.')[0]!, 'base64url')
      .toString('utf8')
      .split('|');
    expect(purpose).toBe('confirm');
    expect(Number(expiresAt)).toBeGreaterThan(0);
    expect(mail!.parsed.text).not.toContain('late@example.org'.replace('@', '%40'));
    expect(token).not.toContain('late');

    const expired = signToken(stack.config.tokenSecret, {
      purpose: 'confirm',
      subscriberId: subscriberId!,
      version: Number(version),
      expiresAt: Number(expiresAt) - stack.config.confirmationTtlHours * 3600 - 1,
    });
    const refused = await fetch(`${stack.api.address}/confirm/${expired}`, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect((await findSubscriberByEmail(stack.api.deps.pool, 'late@example.org'))?.status).toBe('pending');
  });

  it('makes a reader who left and signs up again confirm afresh; an active reader gets no mail', async () => {
    const returning = confirmationTo('returning@example.org');
    await signUp('returning@example.org');
    const [first] = await stack.sink.waitFor(returning);
    expect((await fetch(stack.local(confirmLink(first!)), { method: 'POST' })).status).toBe(200);
    await stack.sink.waitFor((mail) => to('returning@example.org')(mail) && isWelcome(mail));
    const pool = stack.api.deps.pool;
    const reader = await findSubscriberByEmail(pool, 'returning@example.org');
    expect(reader?.status).toBe('active');

    await mailerIdle();
    const before = stack.sink.messages.filter(to('returning@example.org')).length;
    await signUp('returning@example.org');
    await mailerIdle();
    expect(stack.sink.messages.filter(to('returning@example.org'))).toHaveLength(before);

    await pool.query(
      `UPDATE subscribers SET status = 'unsubscribed', confirmation_sent_at = NULL WHERE id = $1`,
      [reader!.id],
    );
    await signUp('returning@example.org');
    expect((await findSubscriberByEmail(pool, 'returning@example.org'))?.status).toBe('pending');
    const [, second] = await stack.sink.waitFor(returning, 2);
    expect((await fetch(stack.local(confirmLink(second!)), { method: 'POST' })).status).toBe(200);
    expect((await findSubscriberByEmail(pool, 'returning@example.org'))?.status).toBe('active');
  });

  /** The confirmations job (of a sign-up group) that named this reader, once it has finished. */
  async function groupJobOf(email: string) {
    const reader = await findSubscriberByEmail(stack.api.deps.pool, email);
    const jobs = await stack.api.deps.queues.email.getJobs(['completed', 'failed']);
    return jobs.find(
      (job) => job.name === 'send-confirmations' && (job.data.subscriberIds as string[]).includes(reader!.id),
    );
  }

  it('runs the job of a sign-up group again after a 4xx and sends only what had not gone', async () => {
    const emails = Array.from({ length: 8 }, (_, index) => `group-${index}@example.org`);
    const deferred = emails[2]!;
    stack.sink.rejectNext(1, 451, deferred);
    await Promise.all(emails.map((email) => signUp(email)));
    await stack.sink.waitFor(confirmationTo(deferred));
    await mailerIdle();
    for (const email of emails)
      expect(stack.sink.messages.filter(confirmationTo(email)), email).toHaveLength(1);
    const job = await groupJobOf(deferred);
    expect(job?.attemptsMade).toBe(2);
    expect(await job?.getState()).toBe('completed');
  });

  it('ends there when a recipient is refused for good; the rest of its group is sent once', async () => {
    const emails = Array.from({ length: 8 }, (_, index) => `refused-${index}@example.org`);
    const rejected = emails[5]!;
    stack.sink.rejectNext(1, 550, rejected);
    await Promise.all(emails.map((email) => signUp(email)));
    await stack.sink.waitFor((mail) => emails.some((email) => confirmationTo(email)(mail)), 7);
    await mailerIdle();
    for (const email of emails)
      expect(stack.sink.messages.filter(confirmationTo(email)), email).toHaveLength(
        email === rejected ? 0 : 1,
      );
    const job = await groupJobOf(rejected);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('completed');
  });
});
