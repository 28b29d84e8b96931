import { readFile } from 'node:fs/promises';
import { countPapers, importPapersJsonl, type Pool } from '@paperboy/db';
import type { Logger } from '@paperboy/runtime';

/** On first start the store is empty; the bundled sample lets paperboy send a digest with no network. */
export async function loadSampleIfEmpty(pool: Pool, file: string, logger: Logger): Promise<void> {
  if ((await countPapers(pool)) > 0) return;
  const summary = await importPapersJsonl(pool, await readFile(file, 'utf8'));
  logger.info(
    { file, inserted: summary.inserted, skipped: summary.skipped.length },
    'paper store was empty: loaded the bundled sample',
  );
}
