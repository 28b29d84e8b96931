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

/** Stores an edition once; a concurrent composer that rendered the same edition simply loses the race. */
export async function saveEdition(db: Pool | PoolClient, edition: Edition): Promise<void> {
  await db.query(
    `INSERT INTO digest_editions (id, edition_date, template_version, subject, html, text, paper_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [
      edition.id,
      edition.editionDate,
      edition.templateVersion,
      edition.subject,
      edition.html,
      edition.text,
      edition.paperIds,
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
