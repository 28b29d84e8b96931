import {
  finishIngestRun,
  type IngestCounts,
  type IngestTrigger,
  type Pool,
  startIngestRun,
  upsertPapers,
} from '@paperboy/db';
import {
  arxivListingUrl,
  type FetchOptions,
  fetchArxivListing,
  hfDailyPaperPages,
  type Paper,
  parseJsonlAuto,
  type RequestLimiter,
  type SkippedRecord,
  SourceError,
  type SourceErrorKind,
} from '@paperboy/papers';
import type { Logger } from '@paperboy/runtime';

/** What to fetch, and from where. Base URLs come from config so tests and mirrors can point elsewhere. */
export type IngestRequest =
  | { source: 'huggingface'; baseUrl: string; date: string }
  | {
      source: 'arxiv';
      baseUrl: string;
      categories: readonly string[];
      maxResults: number;
      /** Shared by every process that talks to arXiv (a RedisRequestLimiter): their terms of use. */
      limiter: RequestLimiter;
    }
  | { source: 'jsonl'; file: string; text: string };

export type IngestSourceName = IngestRequest['source'];

export interface IngestDeps {
  pool: Pool;
  /** Every line of the run is logged through it: pass a child that carries the job id. */
  logger: Logger;
  /** Per-request timeouts and retries; a job runner retries the whole run on top. */
  fetchOptions?: Omit<FetchOptions, 'log' | 'limiter' | 'signal'>;
}

export type { IngestCounts } from '@paperboy/db';

export interface IngestProgress {
  source: IngestSourceName;
  /** A short sentence for a person: "page 2 stored", "asking arXiv". */
  step: string;
  counts: IngestCounts;
}

export interface IngestOptions {
  trigger: IngestTrigger;
  jobId?: string | null;
  attempt?: number;
  onProgress?: (progress: IngestProgress) => void;
  signal?: AbortSignal;
}

export interface IngestFailure {
  message: string;
  kind: SourceErrorKind | 'invalid-request';
  /** Whether asking again later can help (a 5xx, a timeout), as opposed to a malformed payload. */
  retryable: boolean;
}

export interface IngestSummary extends IngestCounts {
  runId: string;
  source: IngestSourceName;
  target: string;
  status: 'succeeded' | 'failed';
  skippedRecords: SkippedRecord[];
  /** What a skipped record's position counts: JSONL lines, JSON array items, Atom entries. */
  positionUnit: 'line' | 'item' | 'entry';
  error: IngestFailure | null;
  durationMs: number;
}

// Upsert statements per progress report for files; a source's page is stored as it arrives.
const FILE_CHUNK = 500;
// Individual skips logged per batch; the run row keeps the reasons, the log keeps its lines short.
const LOGGED_SKIPS = 20;

type Store = (papers: Paper[], skipped: SkippedRecord[], step: string) => Promise<void>;

function describeTarget(request: IngestRequest): string {
  switch (request.source) {
    case 'huggingface':
      return request.date;
    case 'arxiv':
      return request.categories.join(',');
    case 'jsonl':
      return request.file;
  }
}

const POSITION_UNIT = { huggingface: 'item', arxiv: 'entry', jsonl: 'line' } as const;

async function fetchAndStore(
  request: IngestRequest,
  fetchOptions: FetchOptions,
  store: Store,
  announce: (step: string) => void,
): Promise<void> {
  switch (request.source) {
    case 'huggingface': {
      const pages = hfDailyPaperPages({ baseUrl: request.baseUrl, date: request.date, fetchOptions });
      // Each page is stored before the next is asked for, so a failure on page 3 keeps pages 1–2.
      for (let number = 1; ; number++) {
        announce(`fetching page ${number}`);
        const next = await pages.next();
        if (next.done) return;
        await store(next.value.papers, next.value.skipped, `page ${number} stored`);
      }
    }
    case 'arxiv': {
      const listing = {
        baseUrl: request.baseUrl,
        categories: [...request.categories],
        maxResults: request.maxResults,
      };
      announce(`asking arXiv (${arxivListingUrl(listing)})`);
      const batch = await fetchArxivListing({
        ...listing,
        limiter: request.limiter,
        fetchOptions,
      });
      await store(batch.papers, batch.skipped, 'listing stored');
      return;
    }
    case 'jsonl': {
      const batch = parseJsonlAuto(request.text);
      if (batch.papers.length === 0) await store([], batch.skipped, 'file read');
      for (let start = 0; start < batch.papers.length; start += FILE_CHUNK) {
        const end = Math.min(start + FILE_CHUNK, batch.papers.length);
        // Skips are reported with the first chunk so they show up early in a long import.
        await store(
          batch.papers.slice(start, end),
          start === 0 ? batch.skipped : [],
          `stored ${end} of ${batch.papers.length}`,
        );
      }
      return;
    }
  }
}

function failureOf(cause: unknown): IngestFailure | null {
  if (cause instanceof SourceError) {
    return { message: cause.message, kind: cause.kind, retryable: cause.retryable };
  }
  // Adapters throw RangeError for requests that can never work (a day in the future, a bad category).
  if (cause instanceof RangeError)
    return { message: cause.message, kind: 'invalid-request', retryable: false };
  return null;
}

/**
 * Fetches one source (or reads one file) into the paper store and records the run in
 * ingest_runs. Source failures are a result, not an exception: whatever arrived before the
 * failure is stored and counted, and the summary says what failed and whether a retry can help.
 * Anything else (the database is gone, a bug) is recorded as a failed run and thrown.
 */
export async function ingestSource(
  deps: IngestDeps,
  request: IngestRequest,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const target = describeTarget(request);
  const runId = await startIngestRun(deps.pool, {
    source: request.source,
    trigger: options.trigger,
    day: request.source === 'huggingface' ? request.date : null,
    target,
    jobId: options.jobId ?? null,
    attempt: options.attempt ?? 1,
  });
  const log = deps.logger.child({ ingestRun: runId, source: request.source, target });
  const counts: IngestCounts = {
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    skipped: 0,
  };
  const skippedRecords: SkippedRecord[] = [];
  const report = (step: string) =>
    options.onProgress?.({ source: request.source, step, counts: { ...counts } });

  const store: Store = async (papers, skipped, step) => {
    const upserted = await upsertPapers(deps.pool, papers);
    counts.fetched += papers.length + skipped.length;
    counts.inserted += upserted.inserted;
    counts.updated += upserted.updated;
    counts.unchanged += upserted.unchanged;
    counts.withdrawn += papers.filter((paper) => paper.withdrawn).length;
    counts.skipped += skipped.length;
    skippedRecords.push(...skipped);
    const logged = skipped.slice(0, LOGGED_SKIPS);
    log.info({ ...counts, ...(logged.length > 0 ? { skippedNow: logged } : {}) }, step);
    report(step);
  };
  const fetchOptions: FetchOptions = {
    ...deps.fetchOptions,
    ...(options.signal ? { signal: options.signal } : {}),
    log: (event) => {
      log.warn(event, event.msg);
      report(event.waitMs === undefined ? event.msg : `${event.msg}; next try in ${event.waitMs} ms`);
    },
  };

  log.info({ trigger: options.trigger, attempt: options.attempt ?? 1 }, 'ingest run started');
  let error: IngestFailure | null = null;
  try {
    await fetchAndStore(request, fetchOptions, store, report);
  } catch (cause) {
    error = failureOf(cause);
    if (error === null) {
      const message = cause instanceof Error ? cause.message : String(cause);
      // Best effort: the database may be what failed, and then the original error is the one to see.
      await finishIngestRun(deps.pool, runId, {
        status: 'failed',
        ...counts,
        skipped: skippedRecords,
        error: message,
      }).catch(() => undefined);
      log.error({ err: cause, ...counts }, 'ingest run crashed');
      throw cause;
    }
  }

  const status = error === null ? 'succeeded' : 'failed';
  await finishIngestRun(deps.pool, runId, {
    status,
    ...counts,
    skipped: skippedRecords,
    error: error?.message ?? null,
  });
  const durationMs = Math.round(performance.now() - started);
  if (error === null) log.info({ ...counts, durationMs }, 'ingest run succeeded');
  else
    log.error(
      { ...counts, durationMs, error },
      'ingest run failed; records stored before the failure are kept',
    );

  return {
    runId,
    source: request.source,
    target,
    status,
    ...counts,
    skippedRecords,
    positionUnit: POSITION_UNIT[request.source],
    error,
    durationMs,
  };
}
