export * from './address-changes.repository.ts';
export * from './admin.repository.ts';
export * from './bounces.repository.ts';
export * from './deliveries.repository.ts';
export * from './delivery-claims.repository.ts';
export * from './delivery-recovery.repository.ts';
export * from './delivery-report.repository.ts';
export * from './editions.repository.ts';
export * from './feeds.repository.ts';
export * from './ingest-runs.repository.ts';
export { type MigrationResult, migrate, openMigratedPool } from './migrate.ts';
export { type ImportSummary, importPapersJsonl } from './paper-import.ts';
export * from './paper-listing.repository.ts';
export * from './paper-page.repository.ts';
export * from './paper-selection.repository.ts';
export * from './papers.repository.ts';
export {
  connectionConfig,
  createPool,
  ensureDatabase,
  inTransaction,
  type Pool,
  type PoolClient,
  type PoolErrorHandler,
} from './pool.ts';
export * from './preferences.repository.ts';
export * from './reader-profile.repository.ts';
export { LEARNING_STRENGTH } from './reader-profile.sql.ts';
export * from './retention.repository.ts';
export * from './subscriber-data.repository.ts';
export * from './subscribers.repository.ts';
export * from './suppressions.repository.ts';
