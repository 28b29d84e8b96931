import type { Pool, PoolClient } from './pool.ts';

// The daily path's per-batch statements are named, parsed and planned once per connection (why:
// delivery-claims.repository.ts).

export interface Edition {
  id: string;
  editionDate: string;
  templateVersion: string;
  subject: string;
  html: string;
  text: string;
  paperIds: string[];
}

const COLUMNS = `id, edition_date AS "editionDate", template_version AS "templateVersion", subject, html, text,
  paper_ids AS "paperIds"`;

export async function findEdition(db: Pool | PoolClient, id: string): Promise<Edition | null> {
  const result = await db.query<Edition>(`SELECT ${COLUMNS} FROM digest_editions WHERE id = $1`, [id]);
  return result.rows[0] ?? null;
}

/** Several editions in one statement, for a mailer filling its cache for a chunk of sends. */
export async function findEditions(db: Pool | PoolClient, ids: readonly string[]): Promise<Edition[]> {
  if (ids.length === 0) return [];
  const result = await db.query<Edition>({
    name: 'find-editions',
    text: `SELECT ${COLUMNS} FROM digest_editions WHERE id = ANY($1::text[])`,
    values: [ids],
  });
  return result.rows;
}

/** Stores an edition once; a concurrent composer that rendered the same edition simply loses the race. */
export async function saveEdition(db: Pool | PoolClient, edition: Edition): Promise<void> {
  await saveEditions(db, [edition]);
}

/**
 * Stores a compose batch's new editions in one INSERT instead of one per edition: each statement
 * costs Postgres a parse, plan and commit-path round trip, and the worker a socket write.
 * Each value is its own parameter rather than one array per column: as an array, every ~20 KB
 * HTML and text was escaped into an array literal by the driver and parsed back by Postgres
 * (a twentieth of the worker's CPU in a profile of the daily run).
 */
export async function saveEditions(db: Pool | PoolClient, all: readonly Edition[]): Promise<void> {
  // Postgres takes at most 65,535 parameters per statement; a compose batch has at most 250 editions.
  for (let start = EDITIONS_PER_STATEMENT; start < all.length; start += EDITIONS_PER_STATEMENT)
    await saveEditions(db, all.slice(start, start + EDITIONS_PER_STATEMENT));
  const editions = all.slice(0, EDITIONS_PER_STATEMENT);
  if (editions.length === 0) return;
  const rows = editions.map((_, index) => {
    const at = index * EDITION_PARAMETERS;
    return `($${at + 1}, $${at + 2}::date, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}::text[])`;
  });
  await db.query(
    `INSERT INTO digest_editions (id, edition_date, template_version, subject, html, text, paper_ids)
     VALUES ${rows.join(', ')}
     ON CONFLICT (id) DO NOTHING`,
    editions.flatMap((edition) => [
      edition.id,
      edition.editionDate,
      edition.templateVersion,
      edition.subject,
      edition.html,
      edition.text,
      edition.paperIds,
    ]),
  );
}

const EDITION_PARAMETERS = 7;
const EDITIONS_PER_STATEMENT = 1_000;

export async function listEditions(
  pool: Pool,
  limit: number,
): Promise<{ id: string; editionDate: string; subject: string }[]> {
  const result = await pool.query<{ id: string; editionDate: string; subject: string }>(
    `SELECT id, edition_date AS "editionDate", subject FROM digest_editions
     ORDER BY edition_date DESC, created_at DESC LIMIT $1`,
    [limit],
  );
  return result.rows;
}

/** Which of these editions are stored already. */
export async function findExistingEditions(db: Pool | PoolClient, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = await db.query<{ id: string }>({
    name: 'find-existing-editions',
    text: 'SELECT id FROM digest_editions WHERE id = ANY($1::text[])',
    values: [ids],
  });
  return new Set(result.rows.map((row) => row.id));
}
