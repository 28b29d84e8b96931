import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  confirmAddressChange,
  findOpenAddressChange,
  requestAddressChange,
  type Subscriber,
} from '@paperboy/db';
import { linkPaths, personalUrl, verifyToken } from '@paperboy/links';
import { enqueue } from '@paperboy/queue';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { normaliseEmail } from '../email-address.ts';
import { errorBody } from '../errors.ts';
import { addressChangedPage, addressConfirmPage } from '../pages/address-pages.ts';
import { sendPage } from '../pages/send-page.ts';
import { invalidLinkPage } from '../pages/token-pages.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';
import { findReader, readerOf, readerOnly } from '../security/reader-auth.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const EmailField = Type.String({ minLength: 3, maxLength: 254 });

/** The same words whatever happens next: nobody learns whether an address is taken or suppressed. */
export const ADDRESS_CHANGE_ACCEPTED = {
  status: 'pending',
  message:
    'If this address can receive mail, a confirmation link is on its way to it. Your digests keep going to your current address until the link is clicked.',
} as const;

type Requested = { ok: true } | { ok: false; status: 400 | 409; message: string };

/**
 * A change of address, from the preference centre or /v1/subscriptions/me/address. The answer is
 * the same for a free, a taken and a suppressed address, and the work is too (one upsert, one
 * job): the mailer's claim alone decides whether the confirmation mail goes.
 */
async function requestChange(deps: ApiDeps, reader: Subscriber, rawEmail: string): Promise<Requested> {
  const email = normaliseEmail(rawEmail);
  if (!email) return { ok: false, status: 400, message: 'email is not a valid email address' };
  if (email.toLowerCase() === reader.email.toLowerCase())
    return { ok: false, status: 400, message: 'email is already the address of this subscription' };
  if (reader.status !== 'active')
    return { ok: false, status: 409, message: 'only an active subscription can move to another address' };
  const changeId = await requestAddressChange(
    deps.pool,
    reader.id,
    reader.tokenVersion,
    email,
    deps.config.confirmationTtlHours,
  );
  if (!changeId) return { ok: false, status: 409, message: 'your subscription changed meanwhile; reload it' };
  await enqueue(deps.queues, { name: 'send-address-confirmation', data: { changeId } });
  return { ok: true };
}

export function addressChangeRoutes(app: App, deps: ApiDeps): void {
  const links = () => ({ publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret });

  app.post(
    '/v1/subscriptions/me/address',
    {
      onRequest: readerOnly(deps),
      bodyLimit: 1024,
      schema: {
        summary: 'Move your digests to another address (confirmed by a link sent there)',
        description:
          'Answers 202 with the same body whether or not the address is free and mailable. The old address gets a notice once the change is confirmed.',
        tags: ['reader'],
        security: [{ manageToken: [] }],
        body: Type.Object({ email: EmailField }, { additionalProperties: false }),
        response: {
          202: Type.Object({ status: Type.Literal('pending'), message: Type.String() }),
          ...errorResponses(400, 401, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const outcome = await requestChange(deps, readerOf(request), request.body.email);
      if (!outcome.ok)
        return reply.status(outcome.status).send(errorBody(outcome.status, `body.${outcome.message}`));
      return reply.status(202).send(ADDRESS_CHANGE_ACCEPTED);
    },
  );

  app.register(async (scope) => {
    const pages = scope.withTypeProvider<TypeBoxTypeProvider>();

    pages.post(
      '/manage/:token/address',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Ask to move your digests to another address; answers 303 to the page with a notice',
          tags: ['preference centre'],
          params: TokenParams,
          body: Type.Object(
            { email: Type.Optional(Type.String({ maxLength: 300 })) },
            { additionalProperties: false },
          ),
          response: {
            303: Type.Null({ description: 'Requested (or not: the answer is the same); back to the page' }),
            400: htmlResponse('The link does not work'),
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const reader = await findReader(deps, token);
        if (!reader) return sendPage(reply, 400, invalidLinkPage());
        const outcome = await requestChange(deps, reader, request.body.email ?? '');
        const notice = outcome.ok
          ? 'address=sent'
          : `address=${outcome.status === 400 ? 'invalid' : 'refused'}`;
        return reply
          .status(303)
          .header('location', `${linkPaths.manage}${token}?${notice}#address`)
          .send(null);
      },
    );

    const verify = async (token: string) => {
      const check = verifyToken(deps.config.tokenSecret, token, 'change-address');
      if (!check.ok || check.claims.target === undefined) return null;
      return check.claims as typeof check.claims & { target: string };
    };

    pages.get(
      '/address/:token',
      {
        schema: {
          summary: 'Confirm a new address: a page with one button (changes nothing)',
          tags: ['links in mails'],
          params: TokenParams,
          response: {
            200: htmlResponse('The new address and a button'),
            400: htmlResponse('The link does not work (expired, replaced, used or revoked)'),
            ...errorResponses(429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const claims = await verify(token);
        const open = claims && (await findOpenAddressChange(deps.pool, claims.target, claims.subscriberId));
        if (!open) return sendPage(reply, 400, invalidLinkPage());
        return sendPage(
          reply,
          200,
          addressConfirmPage(`${linkPaths['change-address']}${token}`, open.newEmail),
        );
      },
    );

    pages.post(
      '/address/:token',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Confirm a new address: digests go there from now on, and the old address is told',
          tags: ['links in mails'],
          params: TokenParams,
          response: {
            200: htmlResponse('Changed; a fresh link to the preference centre'),
            400: htmlResponse(
              'The link does not work (expired, replaced, used, revoked, or the address was taken)',
            ),
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const claims = await verify(request.params.token);
        const moved =
          claims &&
          (await confirmAddressChange(deps.pool, claims.target, claims.subscriberId, claims.version));
        if (!claims || !moved) return sendPage(reply, 400, invalidLinkPage());
        await enqueue(deps.queues, {
          name: 'send-address-notice',
          data: { changeId: claims.target },
          jobId: `address-notice-${claims.target}`,
        });
        return sendPage(reply, 200, addressChangedPage(moved.email, personalUrl(links(), 'manage', moved)));
      },
    );
  });
}
