import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { confirmSubscriber, findSubscriber, unsubscribe } from '@paperboy/db';
import { personalUrl, type TokenPurpose, verifyToken } from '@paperboy/links';
import { enqueue } from '@paperboy/queue';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { parseMultipartFields } from '../multipart-fields.ts';
import { sendPage } from '../pages/send-page.ts';
import {
  alreadyGonePage,
  confirmedPage,
  confirmPage,
  invalidLinkPage,
  unsubscribedPage,
  unsubscribePage,
} from '../pages/token-pages.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const pageResponses = (done: string, hasBody: boolean) => ({
  200: htmlResponse(done),
  400: htmlResponse(
    'A page saying the link does not work (malformed, forged, expired or, except unsubscribe links, revoked)',
  ),
  ...(hasBody ? errorResponses(413, 415, 429) : errorResponses(429)),
});

/**
 * The links in mails. A GET never changes anything (mail scanners prefetch links); it shows a page
 * whose button POSTs to the same URL. RFC 8058 one-click POSTs need no cookie and get no redirect.
 */
export function tokenLinkRoutes(app: App, deps: ApiDeps): void {
  const verify = (token: string, purpose: TokenPurpose) =>
    verifyToken(deps.config.tokenSecret, token, purpose);
  const schema = (summary: string, done: string, hasBody = false) => ({
    summary,
    tags: ['links in mails'],
    params: TokenParams,
    response: pageResponses(done, hasBody),
  });

  // Mailbox providers send the one-click POST form-encoded or as multipart; the fields are read
  // (and bounded) but the token alone decides. Multipart is accepted on these routes only.
  app.register(async (scope) => {
    const links = scope.withTypeProvider<TypeBoxTypeProvider>();
    links.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (request, body, done) => {
        const fields = parseMultipartFields(String(body), request.headers['content-type'] ?? '');
        if (fields) done(null, fields);
        else
          done(
            Object.assign(new Error('the multipart body is malformed or carries a file'), {
              statusCode: 400,
            }),
          );
      },
    );

    links.get(
      '/confirm/:token',
      { schema: schema('Confirmation page (changes nothing)', 'A page with a button that confirms') },
      async (request, reply) => {
        const { token } = request.params;
        if (!verify(token, 'confirm').ok) return sendPage(reply, 400, invalidLinkPage());
        return sendPage(reply, 200, confirmPage(`/confirm/${token}`));
      },
    );

    links.post(
      '/confirm/:token',
      { schema: schema('Confirm a subscription', 'Subscribed; links to the preference centre', true) },
      async (request, reply) => {
        const { token } = request.params;
        const check = verify(token, 'confirm');
        if (!check.ok) return sendPage(reply, 400, invalidLinkPage());
        const subscriber = await confirmSubscriber(
          deps.pool,
          check.claims.subscriberId,
          check.claims.version,
        );
        if (!subscriber) return sendPage(reply, 400, invalidLinkPage());
        if (subscriber.newlyActive) {
          await enqueue(deps.queues, { name: 'send-welcome', data: { subscriberId: subscriber.id } });
        }
        const settings = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
        return sendPage(reply, 200, confirmedPage(personalUrl(settings, 'manage', subscriber)));
      },
    );

    links.get(
      '/u/:token',
      { schema: schema('Unsubscribe page (changes nothing)', 'A page with an unsubscribe button') },
      async (request, reply) => {
        const { token } = request.params;
        const check = verify(token, 'unsubscribe');
        if (!check.ok) return sendPage(reply, 400, invalidLinkPage());
        // Signed and purpose-bound, but not revocable: an unsubscribe link works for as long as the
        // mail that carries it can be read (RFC 8058), whatever "sign out all links" did since.
        const subscriber = await findSubscriber(deps.pool, check.claims.subscriberId);
        if (!subscriber) return sendPage(reply, 200, alreadyGonePage());
        return sendPage(reply, 200, unsubscribePage(`/u/${token}`));
      },
    );

    links.post(
      '/u/:token',
      {
        schema: {
          ...schema('One-click unsubscribe (RFC 8058)', 'Unsubscribed, at once; never a redirect', true),
          description:
            'Takes `List-Unsubscribe=One-Click` form-encoded or as multipart/form-data, with no cookie or other credential: the signed token alone identifies the reader. Planned digests not yet sent are cancelled.',
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const check = verify(token, 'unsubscribe');
        if (!check.ok) return sendPage(reply, 400, invalidLinkPage());
        // Idempotent: a second POST (the button after the provider's one-click) answers the same page.
        // A reader who erased their data is already off the list: say so kindly, change nothing.
        const outcome = await unsubscribe(deps.pool, check.claims.subscriberId);
        return sendPage(reply, 200, outcome === 'gone' ? alreadyGonePage() : unsubscribedPage());
      },
    );
  });
}
