import { readFile } from 'node:fs/promises';
import { ingestSource } from '@paperboy/ingest';
import { createLogger } from '@paperboy/runtime';
import { checkServices, configOrExit, fail, openStore } from './context.ts';
import { formatSummary, progressReporter } from './progress.ts';

export async function papersImport(file: string): Promise<number> {
  const config = configOrExit();
  const text = await readFile(file, 'utf8').catch((error: Error) =>
    fail(`cannot read ${file}: ${error.message}`),
  );
  await checkServices(config, false);
  const pool = await openStore(config);
  const progress = progressReporter();
  try {
    process.stdout.write(`importing ${file} …\n`);
    // The person at the terminal reads the progress line and summary; JSON logs would only interleave.
    const logger = createLogger('cli', 'silent');
    const summary = await ingestSource(
      { pool, logger },
      { source: 'jsonl', file, text },
      { trigger: 'cli', onProgress: progress },
    );
    progress.end();
    process.stdout.write(formatSummary(summary));
    return summary.status === 'succeeded' ? 0 : 1;
  } finally {
    progress.end();
    await pool.end();
  }
}
