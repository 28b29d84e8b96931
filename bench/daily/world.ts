import { readFile } from 'node:fs/promises';
import { connectionConfig, importPapersJsonl, openMigratedPool, type Pool } from '@paperboy/db';
import {
  createTestQueuePrefix,
  createTestSchema,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from '@paperboy/testing';
import pg from 'pg';
import { repoRoot } from '../../test/support/processes.ts';
import { onInterrupt } from './interrupt.ts';

export interface BenchWorld {
  /** DATABASE_URL of the bench's own schema, naming its connections `applicationName`. */
  databaseUrl: string;
  /** Connections of the bench's services say this in pg_stat_activity. */
  applicationName: string;
  queuePrefix: string;
  redisUrl: string;
  pool: Pool;
  /** Drops the schema and deletes every key under the prefix. */
  remove(): Promise<void>;
}

/**
 * A killed service's statement runs on in its backend (a million-row UPDATE, for minutes) and
 * holds locks DROP SCHEMA would wait for; ending the bench's own backends first lets it go.
 */
async function endBackends(applicationName: string): Promise<void> {
  const admin = new pg.Client(connectionConfig(TEST_DATABASE_URL));
  await admin.connect();
  try {
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [applicationName],
    );
  } finally {
    await admin.end();
  }
}

/**
 * A schema and a BullMQ prefix of the run's own (what the tests use), migrated, with the bundled
 * sample loaded now: its papers are first seen today, so every reader's digest has some.
 */
export async function openWorld(label: string): Promise<BenchWorld> {
  const schema = await createTestSchema(label);
  const queuePrefix = createTestQueuePrefix(label);
  const applicationName = `paperboy-${schema.name}`;
  const url = new URL(schema.url);
  url.searchParams.set('application_name', applicationName);
  const dropEverything = async () => {
    await queuePrefix.remove();
    await endBackends(applicationName);
    await schema.drop();
  };
  const forget = onInterrupt(dropEverything);
  const pool = await openMigratedPool(schema.url, 10);
  await importPapersJsonl(pool, await readFile(`${repoRoot}data/trending-papers-sample.jsonl`, 'utf8'));
  return {
    databaseUrl: url.toString(),
    applicationName,
    queuePrefix: queuePrefix.prefix,
    redisUrl: TEST_REDIS_URL,
    pool,
    async remove() {
      forget();
      await pool.end();
      await dropEverything();
    },
  };
}
