import { readFile } from 'node:fs/promises';
import { importPapersJsonl } from '@paperboy/db';
import { checkServices, configOrExit, fail, openStore } from './context.ts';

export async function papersImport(file: string): Promise<number> {
  const config = configOrExit();
  const text = await readFile(file, 'utf8').catch((error: Error) =>
    fail(`cannot read ${file}: ${error.message}`),
  );
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    process.stdout.write(`importing ${file} …\n`);
    const summary = await importPapersJsonl(pool, text);
    process.stdout.write(
      `inserted ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped.length}\n`,
    );
    for (const skip of summary.skipped)
      process.stdout.write(`  skipped line ${skip.position}: ${skip.reason}\n`);
    return 0;
  } finally {
    await pool.end();
  }
}
