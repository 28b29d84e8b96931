export {
  type IngestCounts,
  type IngestDeps,
  type IngestFailure,
  type IngestOptions,
  type IngestProgress,
  type IngestRequest,
  type IngestSourceName,
  type IngestSummary,
  ingestSource,
} from './ingest-source.ts';
