import { revokeLinks, updatePreferences } from '@paperboy/db';
import { personalUrl } from '@paperboy/links';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { checkPreferences } from '../preferences.ts';
import { errorResponses } from '../schemas.ts';
import { DATA_LINK_MAILED, dataLinkRequester } from '../security/data-link-request.ts';
import { readerOf, readerOnly } from '../security/reader-auth.ts';
import { PreferencesPatch, ReaderSchema, readerView } from '../subscriber-schemas.ts';

const security = [{ manageToken: [] }];
const tags = ['reader'];

/** The preference centre as JSON, for scripts and apps: the manage token from any digest is the bearer credential. */
export function meRoutes(app: App, deps: ApiDeps): void {
  const onRequest = readerOnly(deps);
  const requestDataLink = dataLinkRequester(app, deps);
  const Mailed = Type.Object({ status: Type.Literal('mailed'), message: Type.String() });
  // Export and erase are never done on the manage token, which travels in every digest: both mail
  // the reader a fresh one-hour link instead (see your-data.route.ts).
  const mailDataLink = async (request: FastifyRequest, reply: FastifyReply) => {
    await requestDataLink(request, reply, readerOf(request).id);
    return reply.status(202).send(DATA_LINK_MAILED);
  };

  app.get(
    '/v1/subscriptions/me',
    {
      onRequest,
      schema: {
        summary: 'Your subscription and preferences',
        tags,
        security,
        response: { 200: ReaderSchema, ...errorResponses(401, 429) },
      },
    },
    async (request) => readerView(readerOf(request)),
  );

  app.patch(
    '/v1/subscriptions/me',
    {
      onRequest,
      bodyLimit: 8 * 1024,
      schema: {
        summary: 'Change topics, time zone, send hour, number of papers, or pause',
        tags,
        security,
        body: PreferencesPatch,
        response: { 200: ReaderSchema, ...errorResponses(400, 401, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const reader = readerOf(request);
      const checked = checkPreferences(request.body);
      if (!checked.ok) {
        const message = checked.problems.map((problem) => `body.${problem.field} ${problem.message}`);
        return reply.status(400).send(errorBody(400, message.join('; ')));
      }
      if (reader.status === 'unsubscribed') {
        return reply
          .status(409)
          .send(errorBody(409, 'you have unsubscribed; sign up again and confirm to get digests again'));
      }
      const updated = await updatePreferences(deps.pool, reader.id, reader.tokenVersion, checked.change);
      if (!updated)
        return reply.status(409).send(errorBody(409, 'your subscription changed meanwhile; reload it'));
      return readerView(updated);
    },
  );

  app.delete(
    '/v1/subscriptions/me',
    {
      onRequest,
      schema: {
        summary: 'Erase everything stored about you: mails you a link (valid one hour) that does it',
        tags,
        security,
        response: { 202: Mailed, ...errorResponses(401, 429) },
      },
    },
    mailDataLink,
  );

  app.get(
    '/v1/subscriptions/me/export',
    {
      onRequest,
      schema: {
        summary: 'Everything stored about you: mails you a link (valid one hour) to download it',
        tags,
        security,
        response: { 202: Mailed, ...errorResponses(401, 429) },
      },
    },
    mailDataLink,
  );

  app.post(
    '/v1/subscriptions/me/data-link',
    {
      onRequest,
      schema: {
        summary: 'Mail me a link (valid one hour) to download or erase my data',
        tags,
        security,
        response: { 202: Mailed, ...errorResponses(401, 429) },
      },
    },
    mailDataLink,
  );

  app.post(
    '/v1/subscriptions/me/revoke-links',
    {
      onRequest,
      schema: {
        summary: 'Sign out every link sent so far; answers with fresh links',
        tags,
        security,
        response: {
          200: Type.Object({ manageUrl: Type.String(), unsubscribeUrl: Type.String() }),
          ...errorResponses(401, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const reader = readerOf(request);
      const version = await revokeLinks(deps.pool, reader.id, reader.tokenVersion);
      if (version === null)
        return reply.status(409).send(errorBody(409, 'your links were already signed out meanwhile'));
      const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
      const subject = { id: reader.id, tokenVersion: version };
      return {
        manageUrl: personalUrl(links, 'manage', subject),
        unsubscribeUrl: personalUrl(links, 'unsubscribe', subject),
      };
    },
  );
}
