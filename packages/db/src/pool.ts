import { userInfo } from 'node:os';
import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// Postgres returns `date` columns as JS Dates at local midnight by default; dates stay YYYY-MM-DD strings here.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint counts (count(*)) are safe as numbers at our sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/*
 * Planner settings for our sessions, each unless the URL's own `options` set it:
 * - jit=off: Postgres compiles any statement its planner costs above jit_above_cost, and a compose
 *   batch's selection crosses that once readers have history: 163 functions compiled per
 *   statement, 200–650 ms of backend time for a statement that takes 40 ms without (auto_explain
 *   during `npm run bench`). Every statement here is short; none runs long enough to win it back.
 * - random_page_cost=1.1: the usual setting for data on SSDs or in memory. At the default 4 the
 *   planner read a send batch's 250 deliveries by scanning all 20,000 of the day's rows and
 *   hashing every reader (11 ms a batch, against 0.7 ms by primary key: EXPLAIN ANALYZE of
 *   findDigestsToSend after planning the bench's 20,000 readers).
 */
const SESSION_SETTINGS: Record<string, string> = { jit: 'off', random_page_cost: '1.1' };

function withSessionSettings(url: URL): void {
  let options = url.searchParams.get('options') ?? '';
  for (const [name, value] of Object.entries(SESSION_SETTINGS)) {
    if (new RegExp(`\\b${name}\\s*=`).test(options)) continue;
    options = `${options} -c ${name}=${value}`.trim();
  }
  url.searchParams.set('options', options);
}

/**
 * A URL without a user means "as me", like psql. pg only looks at $USER for that, which
 * service managers and CI runners often leave unset; the OS account is the dependable answer.
 */
export function connectionConfig(databaseUrl: string): pg.ClientConfig {
  const url = new URL(databaseUrl);
  // pg lets values parsed from the URL win over separate options, so the user and the session
  // settings go into the URL.
  if (!url.username)
    url.username = encodeURIComponent(process.env.PGUSER || process.env.USER || userInfo().username);
  withSessionSettings(url);
  return { connectionString: url.toString() };
}

/** Where a pool reports a connection it lost; the process logs it and carries on. */
export type PoolErrorHandler = (error: Error) => void;

/**
 * A pool whose lost connections never kill the process. pg emits 'error' on the pool for an idle
 * client and on the client itself for one that is checked out between queries (a restarted or
 * refusing database: "terminating connection due to administrator command"); an unhandled
 * 'error' event is a crash. Queries in flight fail on their own and their callers retry.
 */
export function createPool(databaseUrl: string, max = 10, onError: PoolErrorHandler = () => {}): Pool {
  const pool = new pg.Pool({ ...connectionConfig(databaseUrl), max });
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/** Runs fn in a transaction on one client; rolls back on any error. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Creates the database named in the URL when it does not exist yet, so a fresh machine needs no
 * manual step. Needs a role allowed to CREATE DATABASE; otherwise the caller's connect error explains.
 */
export async function ensureDatabase(databaseUrl: string): Promise<'created' | 'exists'> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return 'exists';
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client(connectionConfig(admin.toString()));
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    // Identifiers cannot be parameters; escapeIdentifier quotes the name safely.
    await client
      .query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
      .catch((error: { code?: string }) => {
        // Another process created it first: 42P04 when it had finished, 23505 when both raced in the catalog.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    return 'created';
  } finally {
    await client.end();
  }
}
