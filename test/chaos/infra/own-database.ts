import { randomBytes } from 'node:crypto';
import { connectionConfig, emailHash, openMigratedPool } from '@paperboy/db';
import { TEST_DATABASE_URL } from '@paperboy/testing';
import pg from 'pg';

export interface SeededReader {
  id: string;
  email: string;
  timezone: string;
  sendHour: number;
}

export interface ReaderSeed {
  count: number;
  /** Zone and hour of the reader at this index (default: UTC, hour 0, so every plan finds them due). */
  placeOf?: (index: number) => { timezone: string; sendHour: number };
}

export interface OwnDatabase {
  name: string;
  url: string;
  /** One query on a fresh connection: the suite's own reads survive the outages it causes. */
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  seedReaders(seed: ReaderSeed): Promise<SeededReader[]>;
  /** Refuses new connections and ends every open one to this database (and no other). */
  refuseConnections(): Promise<void>;
  allowConnections(): Promise<void>;
  drop(): Promise<void>;
}

// Words that match the bundled sample's titles and abstracts, so topic selection has work to do.
const SAMPLE_TOPICS = [
  'language models',
  'diffusion',
  'reinforcement learning',
  'vision',
  'agents',
  'robotics',
];

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(connectionConfig(TEST_DATABASE_URL));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of the scenario's own on the shared server (CREATE DATABASE chaos_…), migrated. */
export async function createOwnDatabase(label: string): Promise<OwnDatabase> {
  const name = `chaos_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  await onAdmin((admin) => admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const migrated = await openMigratedPool(url.toString(), 1);
  await migrated.end();

  const database: OwnDatabase = {
    name,
    url: url.toString(),
    async query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ ...connectionConfig(url.toString()), connectionTimeoutMillis: 5_000 });
      client.on('error', () => {}); // a terminated backend is what some scenarios are about
      await client.connect();
      try {
        return (await client.query<Row>(sql, params)).rows;
      } finally {
        await client.end().catch(() => {});
      }
    },
    async seedReaders({ count, placeOf = () => ({ timezone: 'UTC', sendHour: 0 }) }) {
      const emails: string[] = [];
      const zones: string[] = [];
      const hours: number[] = [];
      const topics: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const place = placeOf(index);
        emails.push(`reader-${String(index).padStart(5, '0')}@chaos.example`);
        zones.push(place.timezone);
        hours.push(place.sendHour);
        topics.push(`{"${SAMPLE_TOPICS[index % SAMPLE_TOPICS.length]}"}`);
      }
      const rows = await database.query<{ id: string; email: string; timezone: string; send_hour: number }>(
        `INSERT INTO subscribers (email, email_hash, status, topics, timezone, send_hour, confirmed_at)
         SELECT email, hash, 'active', topics::text[], zone, hour, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS t(email, hash, topics, zone, hour)
         RETURNING id, email, timezone, send_hour`,
        [emails, emails.map(emailHash), topics, zones, hours],
      );
      return rows.map((row) => ({
        id: row.id,
        email: row.email,
        timezone: row.timezone,
        sendHour: row.send_hour,
      }));
    },
    async refuseConnections() {
      await onAdmin(async (admin) => {
        await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} ALLOW_CONNECTIONS false`);
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
      });
    },
    async allowConnections() {
      await onAdmin((admin) =>
        admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} ALLOW_CONNECTIONS true`),
      );
    },
    async drop() {
      await onAdmin((admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
  return database;
}
