import { eraseSubscriber, findSubscriberByEmail, type SuppressionReason, suppress } from '@paperboy/db';
import type { ReceivedMail } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfirmation } from './support/mail-kinds.ts';
import { type Stack, startStack } from './support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('suppressed_mail');
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
  return response;
}

/** Waits until the mailer has nothing left to do, so counting mails afterwards is final. */
async function mailerIdle() {
  const queue = stack.api.deps.queues.email;
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((count) => count === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the email queue never drained');
}

const to = (email: string) => (mail: ReceivedMail) => mail.envelopeTo.includes(email) && isConfirmation(mail);

describe('the confirmation mailer and suppressions', () => {
  it.each(['complaint', 'hard-bounce', 'manual'] as const)(
    'sends no confirmation to an address suppressed as "%s"',
    async (reason: SuppressionReason) => {
      const email = `blocked-${reason}@example.org`;
      await suppress(stack.api.deps.pool, email, reason, 'test');
      expect((await signUp(email)).status).toBe(202);
      await mailerIdle();
      expect(stack.sink.messages.filter(to(email))).toEqual([]);
    },
  );

  it.each(['unsubscribed', 'erased'] as const)(
    'lets a reader whose own choice was "%s" sign up again and get a confirmation',
    async (reason: SuppressionReason) => {
      const email = `back-${reason}@example.org`;
      await suppress(stack.api.deps.pool, email, reason, null, 'reader');
      expect((await signUp(email)).status).toBe(202);
      await stack.sink.waitFor(to(email));
    },
  );

  it('a hard bounce followed by erasure still gets no confirmation, however often or however spelled', async () => {
    const email = 'bounced.then.erased@example.org';
    await signUp(email);
    await stack.sink.waitFor(to(email));
    await mailerIdle();
    const reader = await findSubscriberByEmail(stack.api.deps.pool, email);
    await suppress(stack.api.deps.pool, email, 'hard-bounce', '550 5.1.1 no such user');
    await eraseSubscriber(stack.api.deps.pool, reader!.id, reader!.tokenVersion);
    // As if CONFIRMATION_RESEND_MINUTES had long passed: only the suppression stands in the way.
    for (const spelling of ['bounced.then.erased@example.org', 'bounced.then.erased@EXAMPLE.org']) {
      expect((await signUp(spelling)).status).toBe(202);
      await stack.api.deps.pool.query('UPDATE subscribers SET confirmation_sent_at = NULL');
    }
    expect((await signUp('bounced.then.erased@x(1@example.org')).status).toBe(400);
    await mailerIdle();
    expect(stack.sink.messages.filter(to(email))).toHaveLength(1);
  });
});
