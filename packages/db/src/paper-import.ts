import { parseJsonlAuto, type SkippedRecord } from '@paperboy/papers';
import { type UpsertSummary, upsertPapers } from './papers.repository.ts';
import type { Pool } from './pool.ts';

export interface ImportSummary extends UpsertSummary {
  skipped: SkippedRecord[];
}

/** JSONL text (the bundled sample or a normalised export) into the store; bad lines are reported, not fatal. */
export async function importPapersJsonl(pool: Pool, text: string): Promise<ImportSummary> {
  const batch = parseJsonlAuto(text);
  const summary = await upsertPapers(pool, batch.papers);
  return { ...summary, skipped: batch.skipped };
}
