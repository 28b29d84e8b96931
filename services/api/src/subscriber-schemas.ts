import type { Subscriber, SubscriberExport } from '@paperboy/db';
import { type Static, Type } from 'typebox';
import { LIMITS } from './preferences.ts';

/** The preference fields as sign-up and PATCH accept them; the checks a schema cannot do are in preferences.ts. */
export const PreferenceFields = {
  topics: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.topicLength }), {
      maxItems: LIMITS.topics,
      description: 'Trimmed and de-duplicated; papers matching them come first',
    }),
  ),
  timezone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
  ),
  sendHour: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 23, description: 'Local hour the digest is sent' }),
  ),
  paperCount: Type.Optional(Type.Integer({ minimum: LIMITS.minPapers, maximum: LIMITS.maxPapers })),
  cadence: Type.Optional(
    Type.Union([Type.Literal('daily'), Type.Literal('weekly')], {
      description: "daily (default), or weekly: one digest of the week's best per local week, on `weekday`",
    }),
  ),
  weekday: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 7,
      description: 'ISO weekday of a weekly digest, 1 = Monday … 7 = Sunday; required with cadence weekly',
    }),
  ),
};

export const PreferencesPatch = Type.Object(
  {
    ...PreferenceFields,
    pauseDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: LIMITS.maxPauseDays,
        description: 'Pause digests for this many days from now; 0 resumes',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Instant = Type.String({ format: 'date-time' });
export const MaybeInstant = Type.Union([Instant, Type.Null()]);
export const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('active'),
  Type.Literal('unsubscribed'),
]);

export const CadenceSchema = Type.Union([Type.Literal('daily'), Type.Literal('weekly')]);

export const ReaderSchema = Type.Object({
  email: Type.String(),
  status: Status,
  topics: Type.Array(Type.String()),
  timezone: Type.String(),
  sendHour: Type.Integer(),
  paperCount: Type.Integer(),
  cadence: CadenceSchema,
  weekday: Type.Integer({ minimum: 1, maximum: 7 }),
  pausedUntil: MaybeInstant,
  confirmedAt: MaybeInstant,
  createdAt: Instant,
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export function readerView(subscriber: Subscriber): Static<typeof ReaderSchema> {
  return {
    email: subscriber.email,
    status: subscriber.status,
    topics: subscriber.topics,
    timezone: subscriber.timezone,
    sendHour: subscriber.sendHour,
    paperCount: subscriber.paperCount,
    cadence: subscriber.cadence,
    weekday: subscriber.weekday,
    pausedUntil: iso(subscriber.pausedUntil),
    confirmedAt: iso(subscriber.confirmedAt),
    createdAt: subscriber.createdAt.toISOString(),
  };
}

export const ExportSchema = Type.Object({
  exportedAt: Instant,
  subscriber: Type.Object({
    id: Type.String(),
    email: Type.String(),
    emailHash: Type.String(),
    status: Status,
    topics: Type.Array(Type.String()),
    timezone: Type.String(),
    sendHour: Type.Integer(),
    paperCount: Type.Integer(),
    cadence: CadenceSchema,
    weekday: Type.Integer(),
    tokenVersion: Type.Integer(),
    pausedUntil: MaybeInstant,
    confirmationSentAt: MaybeInstant,
    confirmedAt: MaybeInstant,
    unsubscribedAt: MaybeInstant,
    createdAt: Instant,
    updatedAt: Instant,
  }),
  suppression: Type.Union([
    Type.Object({
      reason: Type.String(),
      detail: Type.Union([Type.String(), Type.Null()]),
      createdAt: Instant,
    }),
    Type.Null(),
  ]),
  deliveries: Type.Array(
    Type.Object({
      id: Type.String(),
      localDate: Type.String({ format: 'date' }),
      status: Type.String(),
      editionId: Type.Union([Type.String(), Type.Null()]),
      messageId: Type.Union([Type.String(), Type.Null()]),
      skipReason: Type.Union([Type.String(), Type.Null()]),
      lastError: Type.Union([Type.String(), Type.Null()]),
      sendAttempts: Type.Integer(),
      plannedAt: Instant,
      composedAt: MaybeInstant,
      sentAt: MaybeInstant,
      papers: Type.Array(
        Type.Object({
          paperId: Type.String(),
          title: Type.String(),
          position: Type.Integer(),
          matchedTopics: Type.Array(Type.String()),
          links: Type.Record(Type.String(), Type.String()),
        }),
      ),
    }),
  ),
  votes: Type.Array(
    Type.Object({
      paperId: Type.String(),
      title: Type.String(),
      direction: Type.Union([Type.Literal('more'), Type.Literal('less')]),
      votedAt: Instant,
    }),
  ),
  learnedTerms: Type.Array(
    Type.Object({
      term: Type.String(),
      lexeme: Type.String(),
      weight: Type.Number({ minimum: -1, maximum: 1 }),
    }),
  ),
  addressChange: Type.Union([
    Type.Object({
      newEmail: Type.String(),
      requestedAt: Instant,
      expiresAt: Instant,
      confirmedAt: MaybeInstant,
    }),
    Type.Null(),
  ]),
});

export function exportView(data: SubscriberExport, now: Date): Static<typeof ExportSchema> {
  const { subscriber, suppression } = data;
  return {
    exportedAt: now.toISOString(),
    subscriber: {
      ...subscriber,
      status: subscriber.status as Static<typeof Status>,
      pausedUntil: iso(subscriber.pausedUntil),
      confirmationSentAt: iso(subscriber.confirmationSentAt),
      confirmedAt: iso(subscriber.confirmedAt),
      unsubscribedAt: iso(subscriber.unsubscribedAt),
      createdAt: subscriber.createdAt.toISOString(),
      updatedAt: subscriber.updatedAt.toISOString(),
    },
    suppression: suppression && { ...suppression, createdAt: suppression.createdAt.toISOString() },
    deliveries: data.deliveries.map((delivery) => ({
      ...delivery,
      plannedAt: delivery.plannedAt.toISOString(),
      composedAt: iso(delivery.composedAt),
      sentAt: iso(delivery.sentAt),
      papers: delivery.papers.map((paper) => ({ ...paper, links: paper.links as Record<string, string> })),
    })),
    votes: data.votes.map((vote) => ({ ...vote, votedAt: vote.votedAt.toISOString() })),
    learnedTerms: data.learnedTerms.map(({ label, lexeme, weight }) => ({ term: label, lexeme, weight })),
    addressChange: data.addressChange && {
      newEmail: data.addressChange.newEmail,
      requestedAt: data.addressChange.requestedAt.toISOString(),
      expiresAt: data.addressChange.expiresAt.toISOString(),
      confirmedAt: iso(data.addressChange.confirmedAt),
    },
  };
}
