import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  countSubscribersByStatus,
  decodeCursor,
  findSuppression,
  liftSuppression,
  listSubscribers,
  listSuppressions,
  suppress,
  suppressionHistory,
} from '@paperboy/db';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { parseEmailAddress } from '../email-address.ts';
import { errorBody } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { adminOnly } from '../security/admin-auth.ts';
import {
  CountsSchema,
  LiftQuery,
  ListQuery,
  SubscriberPage,
  SuppressionBody,
  SuppressionHistory,
  SuppressionPage,
  SuppressionQuery,
  SuppressionSchema,
  subscriberSummaryView,
  suppressionEventView,
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
        const parsed = email === undefined ? undefined : parseEmailAddress(email);
        if (parsed && !parsed.ok)
          return reply.status(400).send(errorBody(400, `querystring.email ${parsed.problem}`));
        const found = await listSuppressions(deps.pool, {
          reason,
          email: parsed?.address,
          limit,
          after: cursor,
        });
        return { items: found.items.map(suppressionView), nextCursor: found.nextCursor };
      },
    );

    admin.post(
      '/v1/admin/suppressions',
      {
        bodyLimit: 4 * 1024,
        schema: {
          summary: 'Suppress an address (manual block): nothing is mailed to it until an operator lifts it',
          description:
            'A stronger reason already in force (complaint, hard bounce) stays; the answer shows the reason in force. A confirmed sign-up never lifts a manual block.',
          tags,
          security,
          body: SuppressionBody,
          response: { 201: SuppressionSchema, ...errorResponses(400, 413, 415), ...denied },
        },
      },
      async (request, reply) => {
        const parsed = parseEmailAddress(request.body.email);
        if (!parsed.ok) return reply.status(400).send(errorBody(400, `body.email ${parsed.problem}`));
        const address = parsed.address;
        await suppress(deps.pool, address, 'manual', request.body.detail ?? null, 'admin');
        const stored = await findSuppression(deps.pool, address);
        return reply.status(201).send(suppressionView(stored!));
      },
    );

    const HashParams = Type.Object({ emailHash: Type.String({ pattern: '^[0-9a-f]{64}$' }) });
    admin.delete(
      '/v1/admin/suppressions/:emailHash',
      {
        schema: {
          summary: 'Lift a suppression of any reason; recorded in the address history with the note',
          description:
            'The only way to lift a complaint, hard bounce or manual block. The hash comes from the list, or is sha256 of the lower-cased canonical address.',
          tags,
          security,
          params: HashParams,
          querystring: LiftQuery,
          response: { 204: Type.Null({ description: 'Lifted' }), ...errorResponses(400, 404), ...denied },
        },
      },
      async (request, reply) => {
        const lifted = await liftSuppression(deps.pool, request.params.emailHash, request.query.note ?? null);
        if (lifted === null) return reply.status(404).send(errorBody(404, 'no suppression with that hash'));
        return reply.status(204).send(null);
      },
    );

    admin.get(
      '/v1/admin/suppressions/:emailHash/history',
      {
        schema: {
          summary:
            'Every change to an address suppression, newest first: who suppressed, strengthened or lifted it',
          tags,
          security,
          params: HashParams,
          response: { 200: SuppressionHistory, ...errorResponses(400), ...denied },
        },
      },
      async (request) => {
        const events = await suppressionHistory(deps.pool, request.params.emailHash);
        return { items: events.map(suppressionEventView) };
      },
    );
  });
}
