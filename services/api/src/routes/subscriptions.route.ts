import { Type } from 'typebox';
import type { App } from '../app.ts';
import { errorBody } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { checkSignup, type Signup } from '../signup.ts';
import { PreferenceFields } from '../subscriber-schemas.ts';

const SignupBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    ...PreferenceFields,
    cadence: Type.Optional(
      Type.Union([Type.Literal('daily'), Type.Literal('weekly')], {
        description: 'A digest every day (the default), or once a week on `weekday`',
      }),
    ),
    weekday: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 7,
        description: 'ISO weekday of a weekly digest: 1 = Monday … 7 = Sunday; required when weekly',
      }),
    ),
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

export function subscriptionsRoutes(app: App, signup: Signup): void {
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
        response: { 202: Accepted, ...errorResponses(400, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const checked = checkSignup(request.body);
      if (!checked.ok) {
        const message = checked.problems.map((problem) => `body.${problem.field} ${problem.message}`);
        return reply.status(400).send(errorBody(400, message.join('; ')));
      }
      await signup(request, reply, checked);
      return reply.status(202).send(ACCEPTED);
    },
  );
}
