import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  countSubscribersByStatus,
  decodeCursor,
  findSuppression,
  liftSuppression,
  listSubscribers,
  listSuppressions,
  suppress,
} from '@paperboy/db';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { normaliseEmail } from '../email-address.ts';
import { errorBody } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { adminOnly } from '../security/admin-auth.ts';
import {
  CountsSchema,
  ListQuery,
  SubscriberPage,
  SuppressionBody,
  SuppressionPage,
  SuppressionQuery,
  SuppressionSchema,
  subscriberSummaryView,
  suppressionView,
} from './admin-schemas.ts';

const tags = ['admin'];
const security = [{ adminToken: [] }];
const denied = errorResponses(401, 429);

/** Operator routes; every one sits behind adminOnly, registered once for the whole scope. */
export function adminRoutes(app: App, deps: ApiDeps): void {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', adminOnly(deps.config));

    admin.get(
      '/v1/admin/subscribers',
      {
        schema: {
          summary: 'List subscribers, newest first; filter by status, search by address',
          tags,
          security,
          querystring: ListQuery,
          response: { 200: SubscriberPage, ...errorResponses(400), ...denied },
        },
      },
      async (request, reply) => {
        const { status, q, limit = 50, after } = request.query;
        const cursor = after === undefined ? undefined : decodeCursor(after, 'subscribers');
        if (cursor === null)
          return reply.status(400).send(errorBody(400, 'querystring.after is not a cursor from this list'));
        const found = await listSubscribers(deps.pool, { status, search: q, limit, after: cursor });
        return { items: found.items.map(subscriberSummaryView), nextCursor: found.nextCursor };
      },
    );

    admin.get(
      '/v1/admin/subscribers/counts',
      {
        schema: {
          summary: 'Subscribers by status, and suppressions',
          tags,
          security,
          response: { 200: CountsSchema, ...denied },
        },
      },
      async () => countSubscribersByStatus(deps.pool),
    );

    admin.get(
      '/v1/admin/suppressions',
      {
        schema: {
          summary: 'List suppressed address hashes, newest first; filter by reason or look up one address',
          tags,
          security,
          querystring: SuppressionQuery,
          response: { 200: SuppressionPage, ...errorResponses(400), ...denied },
        },
      },
      async (request, reply) => {
        const { reason, email, limit = 50, after } = request.query;
        const cursor = after === undefined ? undefined : decodeCursor(after, 'suppressions');
        if (cursor === null)
          return reply.status(400).send(errorBody(400, 'querystring.after is not a cursor from this list'));
        const address = email === undefined ? undefined : normaliseEmail(email);
        if (address === null)
          return reply.status(400).send(errorBody(400, 'querystring.email is not a valid email address'));
        const found = await listSuppressions(deps.pool, { reason, email: address, limit, after: cursor });
        return { items: found.items.map(suppressionView), nextCursor: found.nextCursor };
      },
    );

    admin.post(
      '/v1/admin/suppressions',
      {
        bodyLimit: 4 * 1024,
        schema: {
          summary:
            'Suppress an address: no digest is planned or sent to it until lifted (a confirmed sign-up also lifts it)',
          tags,
          security,
          body: SuppressionBody,
          response: { 201: SuppressionSchema, ...errorResponses(400, 413, 415), ...denied },
        },
      },
      async (request, reply) => {
        const address = normaliseEmail(request.body.email);
        if (!address)
          return reply.status(400).send(errorBody(400, 'body.email is not a valid email address'));
        await suppress(deps.pool, address, 'manual', request.body.detail ?? null);
        const stored = await findSuppression(deps.pool, address);
        return reply.status(201).send(suppressionView(stored!));
      },
    );

    admin.delete(
      '/v1/admin/suppressions/:emailHash',
      {
        schema: {
          summary: 'Lift a suppression (the hash comes from the list, or sha256 of the normalised address)',
          tags,
          security,
          params: Type.Object({ emailHash: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
          response: { 204: Type.Null({ description: 'Lifted' }), ...errorResponses(400, 404), ...denied },
        },
      },
      async (request, reply) => {
        if (!(await liftSuppression(deps.pool, request.params.emailHash)))
          return reply.status(404).send(errorBody(404, 'no suppression with that hash'));
        return reply.status(204).send(null);
      },
    );
  });
}
