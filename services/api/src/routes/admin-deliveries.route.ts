import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type DeliveryReportRow, listDeliveries, summariseDeliveries } from '@paperboy/db';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorResponses } from '../schemas.ts';
import { adminOnly } from '../security/admin-auth.ts';
import { MaybeInstant } from '../subscriber-schemas.ts';

const tags = ['admin'];
const security = [{ adminToken: [] }];
const denied = errorResponses(401, 429);

const LocalDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: "The readers' local date of the digests, YYYY-MM-DD",
});
const Status = Type.Union([
  Type.Literal('planned'),
  Type.Literal('composed'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('skipped'),
  Type.Literal('failed'),
  Type.Literal('expired'),
  Type.Literal('uncertain'),
]);

const DeliveriesQuery = Type.Object(
  {
    date: LocalDate,
    status: Type.Optional(Status),
    resent: Type.Optional(
      Type.Boolean({ description: 'Only deliveries sent again after a mailer died (resent-after-crash)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Page size, default 100' })),
    after: Type.Optional(Type.String({ format: 'uuid', description: 'nextAfter of the previous page' })),
  },
  { additionalProperties: false },
);

const DeliverySchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  localDate: Type.String(),
  status: Status,
  messageId: Type.Union([Type.String(), Type.Null()]),
  sendAttempts: Type.Integer(),
  resentAfterCrash: Type.Integer({ description: 'Times sent again, same Message-ID, after its mailer died' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastFailureClass: Type.Union([Type.String(), Type.Null()]),
  leaseOwner: Type.Union([Type.String(), Type.Null()]),
  leaseUntil: MaybeInstant,
  sentAt: MaybeInstant,
});
const DeliveryPage = Type.Object({
  items: Type.Array(DeliverySchema),
  nextAfter: Type.Union([Type.String(), Type.Null()]),
});
const Summary = Type.Object({
  date: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer()),
  resentAfterCrash: Type.Integer(),
});

function view(row: DeliveryReportRow) {
  return {
    ...row,
    leaseUntil: row.leaseUntil?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/**
 * What happened to a day's digests: counts by status (with `uncertain` and `expired`), how many
 * were resent after a crash, and the deliveries themselves, filtered by status or resent.
 */
export function adminDeliveriesRoutes(app: App, deps: ApiDeps): void {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', adminOnly(deps.config));

    admin.get(
      '/v1/admin/deliveries/summary',
      {
        schema: {
          summary: "A local date's deliveries by status, and how many were resent after a crash",
          tags,
          security,
          querystring: Type.Object({ date: LocalDate }, { additionalProperties: false }),
          response: { 200: Summary, ...errorResponses(400), ...denied },
        },
      },
      async (request) => summariseDeliveries(deps.pool, request.query.date),
    );

    admin.get(
      '/v1/admin/deliveries',
      {
        schema: {
          summary: "A local date's deliveries in id order; filter by status or resent-after-crash",
          tags,
          security,
          querystring: DeliveriesQuery,
          response: { 200: DeliveryPage, ...errorResponses(400), ...denied },
        },
      },
      async (request) => {
        const { date, status, resent, limit = 100, after } = request.query;
        const page = await listDeliveries(deps.pool, {
          date,
          status,
          resentOnly: resent,
          limit,
          afterId: after,
        });
        return { items: page.items.map(view), nextAfter: page.nextAfter };
      },
    );
  });
}
