import { type Static, Type } from 'typebox';

/** Queue names: the only places work waits. */
export const Queues = { digest: 'digest', email: 'email', ingest: 'ingest' } as const;
export type QueueName = (typeof Queues)[keyof typeof Queues];

const Uuid = Type.String({ format: 'uuid' });

/**
 * The most deliveries one compose job may carry. Batches keep the per-reader cost to a share of a
 * few statements; the cap keeps one job's transaction (row locks, one selection statement) short.
 */
export const MAX_COMPOSE_BATCH = 250;
/**
 * The most deliveries one send job may carry: one read and a few ledger statements serve them all,
 * instead of a job, a read, a claim and a record per message.
 */
export const MAX_SEND_BATCH = 250;
/**
 * The most confirmations one job may carry: the api's group commit writes its sign-ups' rows in one
 * statement and their confirmations as one job (one script run in Redis instead of one per reader).
 */
export const MAX_CONFIRMATION_BATCH = 500;
/** Why an ingest job runs; recorded with the run so operators can tell the nightly fetch from a refresh. */
const IngestReason = Type.Optional(
  Type.Union([Type.Literal('daily'), Type.Literal('refresh'), Type.Literal('manual')]),
);

/**
 * Every job's payload, by job name. Payloads carry ids, never documents, so Redis memory stays
 * small however many readers there are; the consumer loads what it needs from Postgres.
 */
export const JobSchemas = {
  // runAt plans as if it were that moment (tests, catch-up); absent means now.
  plan: Type.Object(
    { ignoreSendHour: Type.Boolean(), runAt: Type.Optional(Type.String({ format: 'date-time' })) },
    { additionalProperties: false },
  ),
  // A batch of deliveries composed in one transaction (a few statements instead of ~10 per reader).
  compose: Type.Object(
    { deliveryIds: Type.Array(Uuid, { minItems: 1, maxItems: MAX_COMPOSE_BATCH }) },
    { additionalProperties: false },
  ),
  'send-digest': Type.Object({ deliveryId: Uuid }, { additionalProperties: false }),
  // The sends of one compose batch (or a recovered set): the daily path's send job.
  'send-digests': Type.Object(
    { deliveryIds: Type.Array(Uuid, { minItems: 1, maxItems: MAX_SEND_BATCH }) },
    { additionalProperties: false },
  ),
  'send-confirmation': Type.Object({ subscriberId: Uuid }, { additionalProperties: false }),
  // The confirmations of one sign-up group commit; each reader's mail is claimed on its own.
  'send-confirmations': Type.Object(
    { subscriberIds: Type.Array(Uuid, { minItems: 1, maxItems: MAX_CONFIRMATION_BATCH }) },
    { additionalProperties: false },
  ),
  'send-welcome': Type.Object({ subscriberId: Uuid }, { additionalProperties: false }),
  // A fresh, one-hour link to export or erase one's data, mailed because the reader asked for it.
  'send-data-link': Type.Object({ subscriberId: Uuid }, { additionalProperties: false }),
  // A change of address: the link to the new address, then the notice to the old one.
  'send-address-confirmation': Type.Object({ changeId: Uuid }, { additionalProperties: false }),
  'send-address-notice': Type.Object({ changeId: Uuid }, { additionalProperties: false }),
  // date absent: the UTC day before the job was due. Schedules repeat one fixed payload, so
  // "yesterday" has to be worked out when the job runs.
  'ingest-hf': Type.Object(
    { date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), reason: IngestReason },
    { additionalProperties: false },
  ),
  // Categories and page size come from the worker's config, so a schedule follows config changes.
  'ingest-arxiv': Type.Object({ reason: IngestReason }, { additionalProperties: false }),
  // Daily: deletes what is older than RETENTION_DAYS (read from the worker's config when it runs).
  retention: Type.Object({}, { additionalProperties: false }),
} as const;

export type JobName = keyof typeof JobSchemas;
export type JobData<N extends JobName> = Static<(typeof JobSchemas)[N]>;

/** Which queue carries which job: a producer cannot put a job on the wrong queue. */
export const JobQueue = {
  plan: Queues.digest,
  compose: Queues.digest,
  'send-digest': Queues.email,
  'send-digests': Queues.email,
  'send-confirmation': Queues.email,
  'send-confirmations': Queues.email,
  'send-welcome': Queues.email,
  'send-data-link': Queues.email,
  'send-address-confirmation': Queues.email,
  'send-address-notice': Queues.email,
  'ingest-hf': Queues.ingest,
  'ingest-arxiv': Queues.ingest,
  retention: Queues.digest,
} as const satisfies Record<JobName, QueueName>;

export type JobsOf<Q extends QueueName> = {
  [N in JobName]: (typeof JobQueue)[N] extends Q ? N : never;
}[JobName];
