import type { SubscriberSummary, Suppression, SuppressionEvent } from '@paperboy/db';
import { type Static, Type } from 'typebox';
import { Instant, MaybeInstant, ReaderSchema, Status } from '../subscriber-schemas.ts';

const Reason = Type.Union([
  Type.Literal('unsubscribed'),
  Type.Literal('hard-bounce'),
  Type.Literal('complaint'),
  Type.Literal('manual'),
  Type.Literal('erased'),
]);
const Limit = Type.Integer({ minimum: 1, maximum: 200, description: 'Page size, default 50' });
const After = Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'Part of an address' })),
    limit: Type.Optional(Limit),
    after: Type.Optional(After),
  },
  { additionalProperties: false },
);

export const SuppressionQuery = Type.Object(
  {
    reason: Type.Optional(Reason),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'Look up one address' })),
    limit: Type.Optional(Limit),
    after: Type.Optional(After),
  },
  { additionalProperties: false },
);

export const SuppressionBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    detail: Type.Optional(Type.String({ maxLength: 500, description: 'Why, for other operators' })),
  },
  { additionalProperties: false },
);

// What the reader's own API shows, plus what an operator needs to tell readers apart.
const SubscriberSummarySchema = Type.Object({
  id: Type.String(),
  ...ReaderSchema.properties,
  unsubscribedAt: MaybeInstant,
});

export const SuppressionSchema = Type.Object({
  emailHash: Type.String(),
  reason: Reason,
  detail: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  readerMayLift: Type.Boolean({
    description: 'true for the reader own reasons (unsubscribed, erased), which a confirmed sign-up lifts',
  }),
});

export const LiftQuery = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Why, for the history' })) },
  { additionalProperties: false },
);

const SuppressionEventSchema = Type.Object({
  action: Type.Union([Type.Literal('suppressed'), Type.Literal('strengthened'), Type.Literal('lifted')]),
  reason: Reason,
  previousReason: Type.Union([Reason, Type.Null()]),
  actor: Type.Union([Type.Literal('system'), Type.Literal('reader'), Type.Literal('admin')]),
  detail: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
});
export const SuppressionHistory = Type.Object({ items: Type.Array(SuppressionEventSchema) });

export function suppressionEventView(row: SuppressionEvent): Static<typeof SuppressionEventSchema> {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

const Cursor = Type.Union([Type.String(), Type.Null()]);
export const SubscriberPage = Type.Object({ items: Type.Array(SubscriberSummarySchema), nextCursor: Cursor });
export const SuppressionPage = Type.Object({ items: Type.Array(SuppressionSchema), nextCursor: Cursor });

export const CountsSchema = Type.Object({
  pending: Type.Integer(),
  active: Type.Integer(),
  unsubscribed: Type.Integer(),
  total: Type.Integer(),
  suppressed: Type.Integer(),
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export function subscriberSummaryView(row: SubscriberSummary): Static<typeof SubscriberSummarySchema> {
  return {
    ...row,
    pausedUntil: iso(row.pausedUntil),
    createdAt: row.createdAt.toISOString(),
    confirmedAt: iso(row.confirmedAt),
    unsubscribedAt: iso(row.unsubscribedAt),
  };
}

export function suppressionView(row: Suppression): Static<typeof SuppressionSchema> {
  return { ...row, createdAt: row.createdAt.toISOString() };
}
