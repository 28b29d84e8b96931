import { normalizeIP } from '@fastify/rate-limit';
import { emailHash, recordSignup } from '@paperboy/db';
import { enqueue } from '@paperboy/queue';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { normaliseEmail } from '../email-address.ts';
import { errorBody } from '../errors.ts';
import { checkPreferences } from '../preferences.ts';
import { errorResponses } from '../schemas.ts';
import { keyedLimiter } from '../security/rate-limit.ts';
import { PreferenceFields } from '../subscriber-schemas.ts';

const SignupBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), ...PreferenceFields },
  { additionalProperties: false },
);

const Accepted = Type.Object({ status: Type.Literal('pending'), message: Type.String() });

// Byte-for-byte the same for new, pending, active and unsubscribed addresses: nobody can use
// sign-up to learn who reads paperboy.
const ACCEPTED = {
  status: 'pending',
  message:
    'If this address can receive mail, a confirmation link is on its way. Click it to start your daily digest.',
} as const;

const HOUR = 3_600_000;

export function subscriptionsRoutes(app: App, deps: ApiDeps): void {
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

  app.post(
    '/v1/subscriptions',
    {
      bodyLimit: 8 * 1024,
      schema: {
        summary: 'Sign up for the daily digest (double opt-in)',
        description:
          'Answers 202 with the same body for new, pending, active and unsubscribed addresses. A pending address gets at most one confirmation mail per CONFIRMATION_RESEND_MINUTES; an active one gets none.',
        tags: ['sign-up'],
        body: SignupBody,
        response: { 202: Accepted, ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { email: rawEmail, ...preferences } = request.body;
      const email = normaliseEmail(rawEmail);
      if (!email) return reply.status(400).send(errorBody(400, 'body.email is not a valid email address'));
      const checked = checkPreferences(preferences);
      if (!checked.ok) {
        const message = checked.problems.map((problem) => `body.${problem.field} ${problem.message}`);
        return reply.status(400).send(errorBody(400, message.join('; ')));
      }
      await limitIp(request, reply, request.ip);
      await limitAddress(request, reply, email);
      const outcome = await recordSignup(
        deps.pool,
        email,
        {
          topics: checked.change.topics ?? [],
          timezone: checked.change.timezone ?? 'UTC',
          sendHour: checked.change.sendHour ?? 8,
          paperCount: checked.change.paperCount ?? config.papersPerDigest,
          cadence: checked.change.cadence ?? 'daily',
          weekday: checked.change.weekday ?? 1,
        },
        config.confirmationResendMinutes * 60,
      );
      // Enqueued on every path, whatever the address's state, so neither timing nor Redis traffic
      // tells a known address from a new one. The mailer sends only to a pending reader whose last
      // confirmation is older than the resend interval; the rate limits above bound the queue.
      await enqueue(deps.queues, { name: 'send-confirmation', data: { subscriberId: outcome.subscriberId } });
      return reply.status(202).send(ACCEPTED);
    },
  );
}
