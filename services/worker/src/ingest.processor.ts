import type { IngestCounts } from '@paperboy/db';
import { type IngestDeps, type IngestRequest, type IngestSummary, ingestSource } from '@paperboy/ingest';
import { previousUtcDate, type RequestLimiter } from '@paperboy/papers';
import { parseJob } from '@paperboy/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import type { WorkerDeps } from './deps.ts';

/** What a finished ingest job returns to BullMQ: counts only, the skip reasons live in ingest_runs. */
export interface IngestJobResult extends IngestCounts {
  runId: string;
  target: string;
}

/**
 * When the job was due. A scheduler's jobs carry their slot in opts.prevMillis, which survives
 * retries, so a run retried after midnight still fetches the day it was meant for.
 */
function dueAt(job: Job): Date {
  return new Date(job.opts.prevMillis ?? job.timestamp);
}

/** A failed run fails the job: BullMQ retries (with backoff) what a retry can fix and stops on the rest. */
function settle(summary: IngestSummary): IngestJobResult {
  if (summary.error) {
    const message = `${summary.source} ${summary.target}: ${summary.error.message} (run ${summary.runId})`;
    throw summary.error.retryable ? new Error(message) : new UnrecoverableError(message);
  }
  const { runId, target, fetched, inserted, updated, unchanged, withdrawn, skipped } = summary;
  return { runId, target, fetched, inserted, updated, unchanged, withdrawn, skipped };
}

/** The ingest queue's consumer: one case per job name; anything else is a bug and fails loudly. */
export function createIngestProcessor(deps: WorkerDeps, arxivLimiter: RequestLimiter) {
  const { config } = deps;
  return async (job: Job): Promise<IngestJobResult> => {
    // Every line of the run carries the job id, down to each retried HTTP request.
    const logger = deps.logger.child({ queue: 'ingest', job: job.name, jobId: job.id });
    const ingestDeps: IngestDeps = {
      pool: deps.pool,
      logger,
      fetchOptions: {
        retries: config.ingestFetchRetries,
        timeoutMs: config.ingestFetchTimeoutSeconds * 1000,
      },
    };
    const run = { jobId: job.id ?? null, attempt: job.attemptsMade + 1 };
    const timer = deps.metrics.jobDuration.startTimer({ job: job.name });
    try {
      switch (job.name) {
        case 'ingest-hf': {
          const data = parseJob('ingest-hf', job.data);
          const request: IngestRequest = {
            source: 'huggingface',
            baseUrl: config.hfApiUrl,
            date: data.date ?? previousUtcDate(dueAt(job)),
          };
          return settle(
            await ingestSource(ingestDeps, request, { ...run, trigger: data.reason ?? 'manual' }),
          );
        }
        case 'ingest-arxiv': {
          const data = parseJob('ingest-arxiv', job.data);
          const request: IngestRequest = {
            source: 'arxiv',
            baseUrl: config.arxivApiUrl,
            categories: config.arxivCategories,
            maxResults: config.ingestArxivMaxResults,
            limiter: arxivLimiter,
          };
          return settle(
            await ingestSource(ingestDeps, request, { ...run, trigger: data.reason ?? 'manual' }),
          );
        }
        default:
          throw new UnrecoverableError(`the ingest queue has no job named "${job.name}"`);
      }
    } finally {
      timer();
    }
  };
}
