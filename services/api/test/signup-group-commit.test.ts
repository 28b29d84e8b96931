import { findSubscriber, findSubscriberByEmail, type SignupRow } from '@paperboy/db';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RetryLater } from '../src/errors.ts';
import { createSignupWriter } from '../src/signup.ts';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  // One client sends every request here: budgets high enough never to answer 429.
  api = await startTestApi('signup_group', {
    SIGNUPS_PER_IP_PER_HOUR: '1000',
    RATE_LIMIT_PER_MINUTE: '1000',
  });
});
afterAll(async () => {
  await api?.close();
});

const quiet = pino({ level: 'silent' });
const preferences = { topics: ['robotics'], timezone: 'UTC', sendHour: 8, paperCount: 10 };
const signup = (email: string, overrides: Partial<SignupRow['preferences']> = {}): SignupRow => ({
  email,
  preferences: { ...preferences, ...overrides },
});

/** A writer of the api's own kind on the test's schema and prefix, telling the size of each group. */
function writer() {
  const groups: number[] = [];
  const write = createSignupWriter(api.deps, quiet, (size) => groups.push(size));
  return { write, groups };
}

async function confirmationJobsFor(subscriberId: string): Promise<number> {
  const queued = await api.confirmationsQueued();
  return queued.filter((id) => id === subscriberId).length;
}

const signUp = (email: string) =>
  api.app.inject({
    method: 'POST',
    url: '/v1/subscriptions',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email }),
  });

// A database that refuses some rows, the way a full disk or a lost primary refuses a statement.
async function refuseAddressesLike(pattern: string): Promise<void> {
  await api.pool.query(`
    CREATE OR REPLACE FUNCTION refuse_signup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.email LIKE '${pattern}' THEN RAISE EXCEPTION 'could not write to the disk'; END IF;
      RETURN NEW;
    END $$`);
  await api.pool.query(
    'CREATE TRIGGER refuse_signup BEFORE INSERT OR UPDATE ON subscribers FOR EACH ROW EXECUTE FUNCTION refuse_signup()',
  );
}
afterEach(async () => {
  await api.pool.query('DROP TRIGGER IF EXISTS refuse_signup ON subscribers');
});

describe('sign-ups written as a group', () => {
  it('answers each of many concurrent sign-ups with its own reader, in one statement and one job', async () => {
    const { write, groups } = writer();
    const emails = Array.from({ length: 12 }, (_, index) => `together-${index}@example.org`);
    const groupJobsBefore = (await api.emailJobs('send-confirmations')).length;
    const outcomes = await Promise.all(emails.map((email) => write(signup(email, { sendHour: 6 }))));
    expect(groups).toEqual([12]);
    const groupJobs = await api.emailJobs('send-confirmations');
    expect(groupJobs).toHaveLength(groupJobsBefore + 1);
    expect(await api.emailJobs('send-confirmation')).toHaveLength(0);
    for (const [index, email] of emails.entries()) {
      const reader = await findSubscriberByEmail(api.pool, email);
      expect(reader).toMatchObject({ status: 'pending', sendHour: 6 });
      expect(outcomes[index]!.subscriberId).toBe(reader!.id);
      expect(await confirmationJobsFor(reader!.id)).toBe(1);
    }
  });

  it('treats a known address in a group of new ones exactly as it would alone', async () => {
    const active = await api.seed('known-active@example.org', 'active', { sendHour: 7 });
    const left = await api.seed('known-left@example.org', 'unsubscribed');
    const { write, groups } = writer();
    const [activeOutcome, newOutcome, leftOutcome] = await Promise.all([
      write(signup('known-active@example.org', { sendHour: 21, topics: ['poetry'] })),
      write(signup('brand-new@example.org')),
      write(signup('known-left@example.org', { sendHour: 9 })),
    ]);
    expect(groups).toEqual([3]);
    expect(activeOutcome!.subscriberId).toBe(active.id);
    expect(leftOutcome!.subscriberId).toBe(left.id);
    expect(await findSubscriber(api.pool, active.id)).toMatchObject({
      status: 'active',
      sendHour: 7,
      topics: [],
    });
    expect(await findSubscriber(api.pool, left.id)).toMatchObject({
      status: 'pending',
      sendHour: 9,
      unsubscribedAt: null,
      tokenVersion: left.tokenVersion + 1,
    });
    const fresh = await findSubscriberByEmail(api.pool, 'brand-new@example.org');
    expect(newOutcome!.subscriberId).toBe(fresh!.id);
    // Every sign-up is handed to the mailer, known or not, so Redis traffic tells nothing either.
    for (const outcome of [activeOutcome, newOutcome, leftOutcome])
      expect(await confirmationJobsFor(outcome!.subscriberId)).toBe(1);
  });

  it('merges one address signed up twice in a group into one reader, as two sign-ups in a row would', async () => {
    const { write, groups } = writer();
    const [first, second] = await Promise.all([
      write(signup('Twice@example.org', { sendHour: 5 })),
      write(signup('twice@example.org', { sendHour: 10 })),
    ]);
    expect(groups).toEqual([2]);
    expect(first!.subscriberId).toBe(second!.subscriberId);
    const { rows } = await api.pool.query(
      "SELECT email, send_hour FROM subscribers WHERE lower(email) = 'twice@example.org'",
    );
    // The first spelling creates the row; the later sign-up refreshes the pending reader's settings.
    expect(rows).toEqual([{ email: 'Twice@example.org', send_hour: 10 }]);
    // One reader, one confirmation asked for: the group's job names each reader once.
    expect(await confirmationJobsFor(first!.subscriberId)).toBe(1);
  });

  it('refuses every sign-up of a group the database refuses, and keeps none of them', async () => {
    await refuseAddressesLike('poison%');
    const { write, groups } = writer();
    const emails = ['fine-1@example.org', 'poison@example.org', 'fine-2@example.org'];
    const results = await Promise.allSettled(emails.map((email) => write(signup(email))));
    expect(groups).toEqual([3]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(RetryLater);
    }
    for (const email of emails) expect(await findSubscriberByEmail(api.pool, email)).toBeNull();
    const queued = await api.confirmationsQueued();
    const { rows } = await api.pool.query<{ id: string }>('SELECT id FROM subscribers');
    // No job names a reader who is not there.
    expect(queued.every((id) => rows.some((row) => row.id === id))).toBe(true);
  });

  it('answers 503 JSON with Retry-After, not a 500, when the sign-up could not be written', async () => {
    await refuseAddressesLike('refused%');
    const response = await signUp('refused@example.org');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toEqual({
      error: 'service_unavailable',
      message: expect.stringContaining('try again'),
    });
    expect(await findSubscriberByEmail(api.pool, 'refused@example.org')).toBeNull();
    // The failed group is gone; the next one is written as usual.
    expect((await signUp('accepted-after@example.org')).statusCode).toBe(202);
    expect(await findSubscriberByEmail(api.pool, 'accepted-after@example.org')).not.toBeNull();
  });

  it('has a row and a confirmation job behind every 202 of many concurrent sign-ups', async () => {
    const emails = Array.from({ length: 60 }, (_, index) => `crowd-${index}@example.org`);
    const responses = await Promise.all(emails.map((email) => signUp(email)));
    const jobs = new Set(await api.confirmationsQueued());
    for (const [index, response] of responses.entries()) {
      expect(response.statusCode).toBe(202);
      const reader = await findSubscriberByEmail(api.pool, emails[index]!);
      expect(reader && jobs.has(reader.id)).toBe(true);
    }
  });
});
