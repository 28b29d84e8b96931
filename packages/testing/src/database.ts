import { randomBytes } from 'node:crypto';
import { connectionConfig } from '@paperboy/db';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

export interface TestSchema {
  name: string;
  /** DATABASE_URL whose connections use this schema only (search_path). */
  url: string;
  drop(): Promise<void>;
}

/** A fresh schema per test file, so files run in parallel against one database without touching each other. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client(connectionConfig(TEST_DATABASE_URL));
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${admin.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client(connectionConfig(TEST_DATABASE_URL));
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(name)} CASCADE`);
      await client.end();
    },
  };
}
