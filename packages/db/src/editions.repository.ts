import type { Pool, PoolClient } from './pool.ts';

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
  const result = await db.query<Edition>(
    `SELECT ${COLUMNS} FROM digest_editions WHERE id = ANY($1::text[])`,
    [ids],
  );
  return result.rows;
}

/** Stores an edition once; a concurrent composer that rendered the same edition simply loses the race. */
export async function saveEdition(db: Pool | PoolClient, edition: Edition): Promise<void> {
  await saveEditions(db, [edition]);
}

/**
 * Stores a compose batch's new editions in one INSERT instead of one per edition: each statement
 * costs Postgres a parse, plan and commit-path round trip, and the worker a socket write.
 * Paper id lists differ in length, so they travel as JSON arrays (unnest cannot take a ragged text[][]).
 */
export async function saveEditions(db: Pool | PoolClient, editions: readonly Edition[]): Promise<void> {
  if (editions.length === 0) return;
  await db.query(
    `INSERT INTO digest_editions (id, edition_date, template_version, subject, html, text, paper_ids)
     SELECT e.id, e.edition_date, e.template_version, e.subject, e.html, e.text,
            ARRAY(SELECT jsonb_array_elements_text(e.paper_ids))
     FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
          AS e(id, edition_date, template_version, subject, html, text, paper_ids)
     ON CONFLICT (id) DO NOTHING`,
    [
      editions.map((edition) => edition.id),
      editions.map((edition) => edition.editionDate),
      editions.map((edition) => edition.templateVersion),
      editions.map((edition) => edition.subject),
      editions.map((edition) => edition.html),
      editions.map((edition) => edition.text),
      editions.map((edition) => JSON.stringify(edition.paperIds)),
    ],
  );
}

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
  const result = await db.query<{ id: string }>('SELECT id FROM digest_editions WHERE id = ANY($1::text[])', [
    ids,
  ]);
  return new Set(result.rows.map((row) => row.id));
}
