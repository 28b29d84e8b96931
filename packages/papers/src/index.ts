export { PayloadError, SourceError, type SourceErrorKind } from './errors.ts';
export {
  DEFAULT_USER_AGENT,
  type FetchedText,
  type FetchLogEvent,
  type FetchOptions,
  fetchWithRetry,
  parseJsonBody,
  parseRetryAfter,
} from './http.ts';
export {
  arxivLinks,
  findGithubRepo,
  isIsoDate,
  normaliseAbstract,
  normaliseGithubRepo,
  normaliseTitle,
  parseArxivId,
  previousUtcDate,
  stripArxivVersion,
  titleId,
  utcDate,
} from './normalise.ts';
export type { Paper, PaperCard, PaperLinks, PaperSource, ParsedBatch, SkippedRecord } from './paper.ts';
export { validatePaper } from './paper-validate.ts';
export { RedisRequestLimiter, type RedisRequestLimiterOptions } from './redis-request-limiter.ts';
export { ARXIV_INTERVAL_MS, InProcessRequestLimiter, type RequestLimiter } from './request-limiter.ts';
export {
  rankByTrending,
  TRENDING_SCORE_SQL,
  type TrendingInputs,
  trendingScore,
  trendingScoreSql,
} from './score.ts';
export {
  ARXIV_BASE_URL,
  ARXIV_MAX_RESULTS,
  arxivListingUrl,
  type FetchArxivListingOptions,
  fetchArxivListing,
  parseArxivAtom,
} from './sources/arxiv.ts';
export {
  type FetchHfDailyPapersOptions,
  fetchHfDailyPapers,
  HF_BASE_URL,
  HF_PAGE_LIMIT,
  type HfDailyPage,
  hfDailyPaperPages,
  parseHfDailyPapers,
} from './sources/huggingface.ts';
export { parseJsonlAuto, parsePapersJsonl, parseSampleJsonl, toPapersJsonl } from './sources/jsonl.ts';
