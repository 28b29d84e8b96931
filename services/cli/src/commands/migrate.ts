import { createPool, ensureDatabase, migrate } from '@paperboy/db';
import { checkServices, configOrExit } from './context.ts';

export async function runMigrate(): Promise<number> {
  const config = configOrExit();
  await checkServices(config, false);
  const created = await ensureDatabase(config.databaseUrl);
  const pool = createPool(config.databaseUrl, 1);
  try {
    const result = await migrate(pool);
    if (created === 'created') process.stdout.write('created the database\n');
    process.stdout.write(
      result.applied.length > 0
        ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
        : `up to date (${result.alreadyApplied} migration(s) applied before)\n`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}
