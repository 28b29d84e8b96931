import { UnrecoverableError } from 'bullmq';
import { Value } from 'typebox/value';
import { type JobData, type JobName, JobSchemas } from './jobs.ts';

// Unrecoverable: retrying a payload that breaks the contract can only fail again.
export class InvalidJobError extends UnrecoverableError {
  override name = 'InvalidJobError';
}

function isJobName(name: string): name is JobName {
  return Object.hasOwn(JobSchemas, name);
}

/** Checks a consumed job against the contract; a job from an older or foreign producer fails loudly. */
export function parseJob<N extends JobName>(name: N, data: unknown): JobData<N>;
export function parseJob(name: string, data: unknown): JobData<JobName> {
  if (!isJobName(name)) throw new InvalidJobError(`unknown job name "${name}"`);
  const schema = JobSchemas[name];
  if (!Value.Check(schema, data)) {
    const first = [...Value.Errors(schema, data)][0];
    throw new InvalidJobError(
      `invalid "${name}" payload: ${first ? `${first.instancePath} ${first.message}` : 'mismatch'}`,
    );
  }
  return data as JobData<JobName>;
}
