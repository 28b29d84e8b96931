import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from './connection.ts';
import { type JobData, type JobName, JobQueue, type QueueName, Queues } from './jobs.ts';

// Completed jobs are kept for a day so a duplicate enqueue of the same job id is a no-op; the
// Postgres ledger, not Redis, is the record of what was sent.
const keepCompleted = { age: 24 * 3600, count: 100_000 };
const keepFailed = { age: 7 * 24 * 3600 };

export const defaultJobOptions: Record<QueueName, JobsOptions> = {
  digest: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: keepCompleted,
    removeOnFail: keepFailed,
  },
  email: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: keepCompleted,
    removeOnFail: keepFailed,
  },
  ingest: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: keepFailed,
  },
};

export type PaperboyQueues = Record<QueueName, Queue>;

/**
 * A job whose process died while running it (kill -9, OOM) is "stalled", and BullMQ fails it after
 * `maxStalledCount` such deaths (its default is 1). A batch carries up to 250 deliveries, and the
 * ledger makes running it again harmless (each delivery is claimed, sent ones are skipped), so a
 * batch whose mailer or worker was killed twice is run again, not left for the next plan to heal.
 */
export const MAX_STALLED_RUNS = 10;

/** The queue settings paperboy's Config carries; the Config itself can be passed. */
export interface QueueSettings {
  /** BullMQ key prefix (QUEUE_PREFIX). */
  queuePrefix: string;
  /** How many times a mail is tried before it is recorded as failed (SEND_ATTEMPTS). */
  sendAttempts?: number;
  /** The first retry's delay; each further one doubles it (SEND_BACKOFF_MS). */
  sendBackoffMs?: number;
}

/**
 * The three queues on one connection. `onError` hears their 'error' events (a lost Redis, a job
 * whose key vanished): an EventEmitter's unheard 'error' would kill the process.
 */
export function createQueues(
  connection: Redis,
  settings: QueueSettings,
  onError: (error: Error, queue: QueueName) => void = () => {},
): PaperboyQueues {
  const prefix = settings.queuePrefix;
  const email: JobsOptions = {
    ...defaultJobOptions.email,
    attempts: settings.sendAttempts ?? defaultJobOptions.email.attempts,
    backoff: { type: 'exponential', delay: settings.sendBackoffMs ?? 5_000 },
  };
  const options = (name: QueueName): JobsOptions => (name === 'email' ? email : defaultJobOptions[name]);
  const make = (name: QueueName) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions: options(name) });
    queue.on('error', (error) => onError(error, name));
    return queue;
  };
  return { digest: make(Queues.digest), email: make(Queues.email), ingest: make(Queues.ingest) };
}

export async function closeQueues(queues: PaperboyQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}

export interface TypedJob<N extends JobName = JobName> {
  name: N;
  data: JobData<N>;
  /** Job ids must not contain ':' (BullMQ uses it as a key separator). */
  jobId?: string;
  options?: JobsOptions;
}

/** Adds one job to the queue its name belongs to. */
export async function enqueue<N extends JobName>(queues: PaperboyQueues, job: TypedJob<N>): Promise<void> {
  await queues[JobQueue[job.name]].add(job.name, job.data, { ...job.options, jobId: job.jobId });
}

/** Adds many jobs of one name in one round trip (fan-out is batched, never a loop of adds). */
export async function enqueueBulk<N extends JobName>(
  queues: PaperboyQueues,
  jobs: TypedJob<N>[],
): Promise<void> {
  const first = jobs[0];
  if (!first) return;
  for (let start = 0; start < jobs.length; start += 1_000) {
    const slice = jobs.slice(start, start + 1_000);
    await queues[JobQueue[first.name]].addBulk(
      slice.map((job) => ({
        name: job.name,
        data: job.data,
        opts: { ...job.options, jobId: job.jobId },
      })),
    );
  }
}
