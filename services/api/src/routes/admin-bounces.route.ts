import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type BounceListItem, decodeCursor, listBounces } from '@paperboy/db';
import { type Static, Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { adminOnly } from '../security/admin-auth.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Kind = Type.Union(['hard', 'soft', 'complaint', 'other', 'unparsed'].map((kind) => Type.Literal(kind)));

const BouncesQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    delivery: Type.Optional(Type.String({ format: 'uuid', description: 'Only the events of one delivery' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Page size, default 50' })),
    after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

const BounceSchema = Type.Object({
  id: Type.String(),
  source: Type.String({ description: 'smtp, webhook, ses or postmark' }),
  kind: Type.String(),
  mailKind: Nullable(
    Type.String({ description: 'digest, confirmation, welcome or notice (from the VERP address)' }),
  ),
  subscriberId: Nullable(Type.String()),
  emailHash: Nullable(Type.String()),
  status: Nullable(Type.String()),
  action: Nullable(Type.String()),
  diagnostic: Nullable(Type.String()),
  raw: Nullable(
    Type.String({ description: 'The report as received, kept only when it could not be parsed' }),
  ),
  suppressed: Type.Boolean({ description: 'This event suppressed the address' }),
  receivedAt: Type.String({ format: 'date-time' }),
  delivery: Nullable(
    Type.Object({
      id: Type.String(),
      localDate: Type.String(),
      status: Type.String(),
      messageId: Nullable(Type.String()),
      sentAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
});
const BouncePage = Type.Object({ items: Type.Array(BounceSchema), nextCursor: Nullable(Type.String()) });

function bounceView(row: BounceListItem): Static<typeof BounceSchema> {
  const delivery = row.delivery && {
    ...row.delivery,
    sentAt: row.delivery.sentAt === null ? null : new Date(row.delivery.sentAt).toISOString(),
  };
  return { ...row, receivedAt: row.receivedAt.toISOString(), delivery };
}

/** Every bounce and complaint received, newest first, each with the delivery it belongs to. */
export function adminBounceRoutes(app: App, deps: ApiDeps): void {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', adminOnly(deps.config));
    admin.get(
      '/v1/admin/bounces',
      {
        schema: {
          summary:
            'List bounces and complaints, newest first, with their delivery; filter by kind or delivery',
          tags: ['admin'],
          security: [{ adminToken: [] }],
          querystring: BouncesQuery,
          response: { 200: BouncePage, ...errorResponses(400, 401, 429) },
        },
      },
      async (request, reply) => {
        const { kind, delivery, limit = 50, after } = request.query;
        const cursor = after === undefined ? undefined : decodeCursor(after, 'bounces');
        if (cursor === null)
          return reply.status(400).send(errorBody(400, 'querystring.after is not a cursor from this list'));
        const page = await listBounces(deps.pool, {
          kind: kind as BounceListItem['kind'] | undefined,
          deliveryId: delivery,
          limit,
          after: cursor,
        });
        return { items: page.items.map(bounceView), nextCursor: page.nextCursor };
      },
    );
  });
}
