import { recordSignup } from '@paperboy/db';
import { enqueue } from '@paperboy/queue';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { normaliseEmail } from '../email-address.ts';
import { ErrorSchema } from '../schemas.ts';
import { isTimeZone } from '../time-zones.ts';

const SignupBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 20 })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    sendHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
    paperCount: Type.Optional(Type.Integer({ minimum: 3, maximum: 25 })),
  },
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

/** Trimmed, case-folded for comparison, de-duplicated, in the order given. */
export function cleanTopics(topics: string[]): string[] {
  const seen = new Map<string, string>();
  for (const topic of topics) {
    const cleaned = topic.replace(/\s+/g, ' ').trim();
    if (cleaned && !seen.has(cleaned.toLowerCase())) seen.set(cleaned.toLowerCase(), cleaned);
  }
  return [...seen.values()];
}

export function subscriptionsRoutes(app: App, deps: ApiDeps): void {
  app.post(
    '/v1/subscriptions',
    {
      schema: {
        summary: 'Sign up for the daily digest (double opt-in)',
        body: SignupBody,
        response: { 202: Accepted, 400: ErrorSchema, 413: ErrorSchema, 415: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const email = normaliseEmail(body.email);
      if (!email)
        return reply
          .status(400)
          .send({ error: 'bad_request', message: 'body.email is not a valid email address' });
      const timezone = body.timezone ?? 'UTC';
      if (!isTimeZone(timezone)) {
        return reply.status(400).send({
          error: 'bad_request',
          message: `body.timezone "${timezone}" is not an IANA time zone like Europe/Berlin`,
        });
      }
      const outcome = await recordSignup(
        deps.pool,
        email,
        {
          topics: cleanTopics(body.topics ?? []),
          timezone,
          sendHour: body.sendHour ?? 8,
          paperCount: body.paperCount ?? deps.config.papersPerDigest,
        },
        deps.config.confirmationResendMinutes * 60,
      );
      if (outcome.sendConfirmation) {
        await enqueue(deps.queues, {
          name: 'send-confirmation',
          data: { subscriberId: outcome.subscriberId },
        });
      }
      return reply.status(202).send(ACCEPTED);
    },
  );
}
