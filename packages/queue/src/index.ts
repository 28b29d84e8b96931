export { COMPOSE_BATCH_SIZE, composeJob, composeJobs, sendDigestJobs } from './compose-batches.ts';
export {
  type Cluster,
  clusterNodes,
  createRedisConnection,
  type Redis,
  type RedisConnection,
  type RedisServer,
} from './connection.ts';
export {
  type JobData,
  type JobName,
  JobQueue,
  JobSchemas,
  type JobsOf,
  MAX_COMPOSE_BATCH,
  MAX_CONFIRMATION_BATCH,
  MAX_SEND_BATCH,
  type QueueName,
  Queues,
} from './jobs.ts';
export {
  closeQueues,
  createQueues,
  defaultJobOptions,
  enqueue,
  enqueueBulk,
  MAX_STALLED_RUNS,
  type PaperboyQueues,
  type TypedJob,
} from './queues.ts';
export { findIdleJobIds, requeueMissing } from './requeue.ts';
export { InvalidJobError, parseJob } from './validate.ts';
