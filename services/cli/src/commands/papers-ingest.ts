import { type IngestRequest, ingestSource } from '@paperboy/ingest';
import { isIsoDate, previousUtcDate, RedisRequestLimiter, utcDate } from '@paperboy/papers';
import { createRedisConnection, type Redis } from '@paperboy/queue';
import { createLogger } from '@paperboy/runtime';
import { checkServices, configOrExit, fail, openStore } from './context.ts';
import { formatSummary, progressReporter } from './progress.ts';

/**
 * Fetches one source now, the same way the worker's scheduled job does, and prints what it did.
 * Runs regardless of INGEST_ENABLED: a person asking is the point.
 */
export async function papersIngest(options: { source?: string; date?: string }): Promise<number> {
  const config = configOrExit();
  const { source } = options;
  if (source !== 'hf' && source !== 'arxiv') fail('papers ingest needs --source hf or --source arxiv');
  const today = utcDate(new Date());
  const date = options.date ?? previousUtcDate(new Date());
  if (source === 'hf' && (!isIsoDate(date) || date > today))
    fail(`--date must be a day (YYYY-MM-DD) no later than today in UTC (${today}), got "${date}"`);
  if (source === 'arxiv' && options.date)
    fail('--date applies to hf only: arXiv is read as its newest listing');

  // arXiv's one-request-every-3-seconds budget is shared with the workers through Redis.
  await checkServices(config, source === 'arxiv');
  const pool = await openStore(config);
  let redis: Redis | null = null;
  const progress = progressReporter();
  try {
    let request: IngestRequest;
    if (source === 'hf') {
      request = { source: 'huggingface', baseUrl: config.hfApiUrl, date };
    } else {
      redis = createRedisConnection(config.redisUrl);
      request = {
        source: 'arxiv',
        baseUrl: config.arxivApiUrl,
        categories: config.arxivCategories,
        maxResults: config.ingestArxivMaxResults,
        limiter: new RedisRequestLimiter({ redis, keyPrefix: `${config.queuePrefix}:limiter:arxiv` }),
      };
    }
    process.stdout.write(
      `ingesting ${source === 'hf' ? `Hugging Face daily papers of ${date}` : `arXiv ${config.arxivCategories.join(', ')}`} …\n`,
    );
    const summary = await ingestSource(
      {
        pool,
        logger: createLogger('cli', 'silent'),
        fetchOptions: {
          retries: config.ingestFetchRetries,
          timeoutMs: config.ingestFetchTimeoutSeconds * 1000,
        },
      },
      request,
      { trigger: 'cli', onProgress: progress },
    );
    progress.end();
    process.stdout.write(formatSummary(summary));
    return summary.status === 'succeeded' ? 0 : 1;
  } finally {
    progress.end();
    await redis?.quit();
    await pool.end();
  }
}
