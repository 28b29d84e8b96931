export * from './admin.repository.ts';
export * from './deliveries.repository.ts';
export * from './delivery-report.repository.ts';
export * from './editions.repository.ts';
export * from './ingest-runs.repository.ts';
export { type MigrationResult, migrate, openMigratedPool } from './migrate.ts';
export { type ImportSummary, importPapersJsonl } from './paper-import.ts';
export * from './paper-listing.repository.ts';
export * from './paper-selection.repository.ts';
export * from './papers.repository.ts';
export {
  connectionConfig,
  createPool,
  ensureDatabase,
  inTransaction,
  type Pool,
  type PoolClient,
} from './pool.ts';
export * from './preferences.repository.ts';
export * from './retention.repository.ts';
export * from './subscriber-data.repository.ts';
export * from './subscribers.repository.ts';
