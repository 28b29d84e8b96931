import { listIngestRuns } from '@paperboy/db';
import { checkServices, configOrExit, fail, openStore } from './context.ts';

const COLUMNS = [
  'started (UTC)',
  'source',
  'trigger',
  'target',
  'status',
  'fetched',
  'ins',
  'upd',
  'same',
  'skip',
];

/** The latest ingest runs, newest first: did last night's papers arrive, and if not, why. */
export async function papersRuns(options: { limit?: string }): Promise<number> {
  const config = configOrExit();
  const limit = Number(options.limit ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    fail('--limit must be a whole number from 1 to 1000');
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    const runs = await listIngestRuns(pool, { limit });
    if (runs.length === 0) {
      process.stdout.write('no ingest runs yet\n');
      return 0;
    }
    const rows = runs.map((run) => [
      run.startedAt.toISOString().slice(0, 19).replace('T', ' '),
      run.source,
      run.trigger,
      run.target.length > 32 ? `…${run.target.slice(-31)}` : run.target,
      run.status,
      String(run.fetched),
      String(run.inserted),
      String(run.updated),
      String(run.unchanged),
      String(run.skipped),
    ]);
    const widths = COLUMNS.map((title, index) =>
      Math.max(title.length, ...rows.map((row) => row[index]!.length)),
    );
    const line = (cells: string[]) =>
      `${cells
        .map((cell, index) => cell.padEnd(widths[index]!))
        .join('  ')
        .trimEnd()}\n`;
    process.stdout.write(line(COLUMNS));
    runs.forEach((run, index) => {
      process.stdout.write(line(rows[index]!));
      if (run.error) process.stdout.write(`    error: ${run.error}\n`);
    });
    return 0;
  } finally {
    await pool.end();
  }
}
