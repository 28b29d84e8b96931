import { normalizeIP } from '@fastify/rate-limit';
import { emailHash, type Preferences, recordSignups, type SignupOutcome, type SignupRow } from '@paperboy/db';
import { enqueue, MAX_CONFIRMATION_BATCH } from '@paperboy/queue';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';
import type { App } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { parseEmailAddress } from './email-address.ts';
import { RetryLater } from './errors.ts';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';
import { checkPreferences, type FieldProblem } from './preferences.ts';
import { keyedLimiter } from './security/rate-limit.ts';

/** A sign-up as the API and the front-door form both hand it over, already typed. */
export interface SignupFields {
  email: string;
  topics?: string[];
  timezone?: string;
  sendHour?: number;
  paperCount?: number;
  cadence?: 'daily' | 'weekly';
  /** ISO weekday, 1 = Monday … 7 = Sunday; needed for a weekly digest. */
  weekday?: number;
}

export interface SignupProblem {
  field: keyof SignupFields | FieldProblem['field'];
  message: string;
}

export type CheckedSignup =
  | { ok: true; email: string; preferences: Omit<Preferences, 'paperCount'> & { paperCount?: number } }
  | { ok: false; problems: SignupProblem[] };

/** Every check a schema cannot do, for both doors; all problems at once, the address first. */
export function checkSignup(fields: SignupFields): CheckedSignup {
  const problems: SignupProblem[] = [];
  // The canonical form is what is stored, limited, suppressed and later sent to (email-address.ts).
  const parsed = parseEmailAddress(fields.email);
  const email = parsed.ok ? parsed.address : null;
  if (!parsed.ok) problems.push({ field: 'email', message: parsed.problem });
  const { email: _email, cadence = 'daily', weekday, ...preferences } = fields;
  const checked = checkPreferences(preferences);
  if (!checked.ok) problems.push(...checked.problems);
  if (cadence === 'weekly' && weekday === undefined)
    problems.push({ field: 'weekday', message: 'is required for a weekly digest (1 = Monday … 7 = Sunday)' });
  else if (weekday !== undefined && (!Number.isInteger(weekday) || weekday < 1 || weekday > 7))
    problems.push({ field: 'weekday', message: 'must be a whole number from 1 (Monday) to 7 (Sunday)' });
  if (!email || !checked.ok || problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    email,
    preferences: {
      topics: checked.change.topics ?? [],
      timezone: checked.change.timezone ?? 'UTC',
      sendHour: checked.change.sendHour ?? 8,
      paperCount: checked.change.paperCount,
      cadence,
      weekday: weekday ?? 1,
    },
  };
}

/** Records a checked sign-up, inside the sign-up rate limits; throws a 429 when a budget is spent. */
export type Signup = (
  request: FastifyRequest,
  reply: FastifyReply,
  signup: Extract<CheckedSignup, { ok: true }>,
) => Promise<void>;

const HOUR = 3_600_000;

/**
 * Sign-ups are written in groups: one INSERT … SELECT for every sign-up that arrived while the
 * previous group was being written, then one job that carries their confirmations. Each caller is
 * answered only after both, so every 202 stands for a committed row and a job in Redis; when
 * either fails, every caller in the group gets a RetryLater (503).
 */
export function createSignupWriter(
  deps: Pick<ApiDeps, 'config' | 'pool' | 'queues'>,
  log: FastifyBaseLogger,
  onFlush?: (size: number) => void,
): GroupCommit<SignupRow, SignupOutcome> {
  const resendAfterSeconds = deps.config.confirmationResendMinutes * 60;
  return createGroupCommit<SignupRow, SignupOutcome>({
    maxBatch: MAX_CONFIRMATION_BATCH,
    maxInFlight: 2,
    onFlush,
    async flush(signups) {
      let outcomes: SignupOutcome[];
      try {
        outcomes = await recordSignups(deps.pool, signups, resendAfterSeconds);
      } catch (error) {
        // One statement: no row of the group was written. Every request in it may be sent again.
        log.error({ err: error, signups: signups.length }, 'sign-up group not recorded');
        throw new RetryLater('sign-up could not be recorded; nothing was saved, please try again', 1, {
          cause: error,
        });
      }
      try {
        // Enqueued on every path, whatever the address's state, so neither timing nor Redis traffic
        // tells a known address from a new one. The mailer sends only to a pending reader whose last
        // confirmation is older than the resend interval; the rate limits bound the queue. One job
        // carries the group's confirmations: a job per sign-up was a BullMQ script run each, more
        // than half of Redis's time per sign-up (BENCHMARKS.md, issue 10).
        await enqueue(deps.queues, {
          name: 'send-confirmations',
          data: { subscriberIds: [...new Set(outcomes.map((outcome) => outcome.subscriberId))] },
        });
      } catch (error) {
        // The rows stand (as after a lost answer); the sign-up sent again enqueues the mail.
        log.error({ err: error, signups: signups.length }, 'sign-up confirmations not enqueued');
        throw new RetryLater('sign-up could not be completed; please try again', 1, { cause: error });
      }
      return outcomes;
    },
  });
}

/**
 * The one way a sign-up happens, shared by POST /v1/subscriptions and the front-door form so
 * both count against the same per-IP and per-address budgets and do exactly the same work.
 */
export function createSignup(app: App, deps: ApiDeps): Signup {
  const { config } = deps;
  const limitIp = keyedLimiter(app, {
    name: 'signup-ip',
    max: config.signupsPerIpPerHour,
    timeWindowMs: HOUR,
    // One IPv6 /64 is one client, as for the per-IP limit on every route.
    key: (ip) => normalizeIP(ip, 64),
  });
  const limitAddress = keyedLimiter(app, {
    name: 'signup-address',
    max: config.signupsPerAddressPerHour,
    timeWindowMs: HOUR,
    key: emailHash,
  });
  const batchSize = new Histogram({
    name: 'paperboy_signup_batch_size',
    help: 'Sign-ups written by one group commit (one INSERT and one confirmations job).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [deps.metrics],
  });
  const write = createSignupWriter(deps, app.log, (size) => batchSize.observe(size));
  return async (request, reply, { email, preferences }) => {
    // Both budgets are counted at once (one wait on Redis, not two in a row); a sign-up refused by
    // one still spends the other, as a refused attempt should.
    await Promise.all([limitIp(request, reply, request.ip), limitAddress(request, reply, email)]);
    await write({
      email,
      preferences: { ...preferences, paperCount: preferences.paperCount ?? config.papersPerDigest },
    });
  };
}
