import { confirmSubscriber, unsubscribe } from '@paperboy/db';
import { personalUrl, type TokenPurpose, verifyToken } from '@paperboy/links';
import { enqueue } from '@paperboy/queue';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import {
  confirmedPage,
  confirmPage,
  invalidLinkPage,
  unsubscribedPage,
  unsubscribePage,
} from '../pages/token-pages.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const htmlPage = { 200: Type.String(), 400: Type.String() };

function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * The links in mails. A GET never changes anything (mail scanners prefetch links); it shows a page
 * whose button POSTs to the same URL. RFC 8058 one-click POSTs need no cookie and get no redirect.
 */
export function tokenLinkRoutes(app: App, deps: ApiDeps): void {
  const verify = (token: string, purpose: TokenPurpose) =>
    verifyToken(deps.config.tokenSecret, token, purpose);
  const schema = (summary: string) => ({ summary, params: TokenParams, response: htmlPage });

  app.get(
    '/confirm/:token',
    { schema: schema('Confirmation page (changes nothing)') },
    async (request, reply) => {
      const { token } = request.params;
      if (!verify(token, 'confirm').ok) return sendPage(reply, 400, invalidLinkPage());
      return sendPage(reply, 200, confirmPage(`/confirm/${token}`));
    },
  );

  app.post('/confirm/:token', { schema: schema('Confirm a subscription') }, async (request, reply) => {
    const { token } = request.params;
    const check = verify(token, 'confirm');
    if (!check.ok) return sendPage(reply, 400, invalidLinkPage());
    const subscriber = await confirmSubscriber(deps.pool, check.claims.subscriberId, check.claims.version);
    if (!subscriber) return sendPage(reply, 400, invalidLinkPage());
    if (subscriber.newlyActive) {
      await enqueue(deps.queues, { name: 'send-welcome', data: { subscriberId: subscriber.id } });
    }
    const settings = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
    return sendPage(reply, 200, confirmedPage(personalUrl(settings, 'manage', subscriber)));
  });

  app.get('/u/:token', { schema: schema('Unsubscribe page (changes nothing)') }, async (request, reply) => {
    const { token } = request.params;
    if (!verify(token, 'unsubscribe').ok) return sendPage(reply, 400, invalidLinkPage());
    return sendPage(reply, 200, unsubscribePage(`/u/${token}`));
  });

  app.post('/u/:token', { schema: schema('One-click unsubscribe (RFC 8058)') }, async (request, reply) => {
    const { token } = request.params;
    const check = verify(token, 'unsubscribe');
    if (!check.ok) return sendPage(reply, 400, invalidLinkPage());
    // Idempotent: a second POST (the button after the provider's one-click) answers the same page.
    await unsubscribe(deps.pool, check.claims.subscriberId, check.claims.version);
    return sendPage(reply, 200, unsubscribedPage());
  });
}
