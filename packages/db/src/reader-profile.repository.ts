/** A reader's verdict on a paper: more papers like it, or fewer. */
export type VoteDirection = 'more' | 'less';

import { inTransaction, type Pool, type PoolClient } from './pool.ts';

/** How many lexemes a profile keeps: enough to describe a taste, few enough to rank cheaply. */
export const PROFILE_TERMS = 40;
/** Only the latest votes shape the profile, so rebuilding it stays cheap and tastes can drift. */
const VOTES_CONSIDERED = 200;
/** Document frequencies come from the newest papers of the store, a bounded sample. */
const CORPUS_PAPERS = 2000;

/*
 * The profile, rebuilt from the reader's votes (tf-idf on Postgres full-text lexemes):
 * - each voted paper adds its direction (+1 more, −1 less) to every distinct lexeme of its
 *   `search` vector, weighted by where the lexeme stands: title 1, keywords 0.6, abstract 0.3;
 * - each sum is multiplied by the lexeme's idf, ln(N / ndoc), over the newest CORPUS_PAPERS papers
 *   (ts_stat), so words every paper uses ("model", "propos") weigh nothing while "diffus" weighs a lot;
 * - lexemes found in only one paper (nothing else to match), in more than a quarter of all papers,
 *   shorter than three letters or not starting with a letter are left out;
 * - the PROFILE_TERMS strongest are kept and scaled so the strongest is ±1.
 * The label shown for a lexeme is the word of the voted papers' text that stems to it most often.
 */
const REBUILD_SQL = `
WITH voted AS (
  SELECT v.direction, p.search, lower(p.title || ' ' || p.abstract) AS text
  FROM paper_votes v JOIN papers p ON p.id = v.paper_id
  WHERE v.subscriber_id = $1
  ORDER BY v.voted_at DESC
  LIMIT ${VOTES_CONSIDERED}
),
terms AS (
  SELECT l.lexeme,
         sum(v.direction * CASE WHEN 'A' = ANY (l.weights) THEN 1.0
                                WHEN 'B' = ANY (l.weights) THEN 0.6 ELSE 0.3 END) AS votes_for
  FROM voted v CROSS JOIN LATERAL unnest(v.search) AS l
  GROUP BY l.lexeme
  HAVING sum(v.direction) <> 0
),
corpus AS (
  SELECT count(*)::double precision AS n FROM (SELECT 1 FROM papers LIMIT ${CORPUS_PAPERS}) AS sample
),
stats AS (
  SELECT word, ndoc FROM ts_stat(
    'SELECT search FROM papers
     ORDER BY coalesce(trending_date, (first_seen_at AT TIME ZONE ''UTC'')::date) DESC LIMIT ${CORPUS_PAPERS}')
),
weighted AS (
  SELECT t.lexeme, (t.votes_for * ln(c.n / s.ndoc))::double precision AS weight
  FROM terms t JOIN stats s ON s.word = t.lexeme CROSS JOIN corpus c
  WHERE s.ndoc >= 2 AND s.ndoc <= c.n / 4 AND length(t.lexeme) >= 3 AND t.lexeme ~ '^[a-z]'
  ORDER BY abs(t.votes_for * ln(c.n / s.ndoc)) DESC, t.lexeme
  LIMIT ${PROFILE_TERMS}
),
stems AS (
  SELECT DISTINCT ON (stem) stem, word
  FROM (
    -- Split at hyphens and not: "class-imbalanced" is a lexeme of its own, and so is "imbalanced".
    SELECT word, count(*) AS uses
    FROM voted, LATERAL (
      SELECT regexp_split_to_table(voted.text, '[^a-z0-9]+')
      UNION ALL
      SELECT regexp_split_to_table(voted.text, '[^a-z0-9-]+')
    ) AS split(word)
    GROUP BY word
  ) AS words
  CROSS JOIN LATERAL (SELECT (ts_lexize('english_stem', word))[1] AS stem) AS lexized
  WHERE stem IS NOT NULL
  ORDER BY stem, uses DESC, length(word), word
)
INSERT INTO reader_terms (subscriber_id, lexeme, weight, label)
SELECT $1, w.lexeme, w.weight / max(abs(w.weight)) OVER (), coalesce(s.word, w.lexeme)
FROM weighted w LEFT JOIN stems s ON s.stem = w.lexeme
WHERE w.weight <> 0`;

async function rebuildProfile(client: PoolClient, subscriberId: string): Promise<void> {
  await client.query('DELETE FROM reader_terms WHERE subscriber_id = $1', [subscriberId]);
  await client.query(REBUILD_SQL, [subscriberId]);
}

export type VoteOutcome = 'recorded' | 'unknown-reader' | 'unknown-paper';

/**
 * Records a reader's vote (one per reader and paper; the latest direction wins) and rebuilds their
 * profile, in one transaction. The reader's row is locked first, so two votes of one reader
 * rebuild one after the other and the profile always reflects every vote. A link from before a
 * "sign out all links" (an older token version) records nothing.
 */
export async function recordVote(
  pool: Pool,
  vote: { subscriberId: string; tokenVersion: number; paperId: string; direction: VoteDirection },
): Promise<VoteOutcome> {
  return inTransaction(pool, async (client) => {
    const reader = await client.query(
      `SELECT 1 FROM subscribers WHERE id = $1 AND token_version = $2 AND status <> 'unsubscribed' FOR UPDATE`,
      [vote.subscriberId, vote.tokenVersion],
    );
    if (reader.rowCount !== 1) return 'unknown-reader';
    const saved = await client.query(
      `INSERT INTO paper_votes (subscriber_id, paper_id, direction)
       SELECT $1, id, $3 FROM papers WHERE id = $2
       ON CONFLICT (subscriber_id, paper_id) DO UPDATE SET direction = excluded.direction, voted_at = now()`,
      [vote.subscriberId, vote.paperId, vote.direction === 'more' ? 1 : -1],
    );
    if (saved.rowCount !== 1) return 'unknown-paper';
    await rebuildProfile(client, vote.subscriberId);
    return 'recorded';
  });
}

export interface LearnedTerm {
  /** A word as the reader would write it ("diffusion"). */
  label: string;
  /** The full-text lexeme ranking matches ("diffus"). */
  lexeme: string;
  /** −1 … 1: how strongly papers with this term rise (+) or fall (−). */
  weight: number;
}

export interface Learning {
  votes: { more: number; less: number };
  /** Strongest first. */
  more: LearnedTerm[];
  less: LearnedTerm[];
}

/** What the reader's votes taught, for the preference centre and the JSON API. */
export async function findLearning(db: Pool | PoolClient, subscriberId: string): Promise<Learning> {
  const votes = await db.query<{ more: number; less: number }>(
    `SELECT count(*) FILTER (WHERE direction = 1)::int AS more, count(*) FILTER (WHERE direction = -1)::int AS less
     FROM paper_votes WHERE subscriber_id = $1`,
    [subscriberId],
  );
  const terms = await db.query<LearnedTerm>(
    `SELECT label, lexeme, weight FROM reader_terms WHERE subscriber_id = $1 ORDER BY abs(weight) DESC, lexeme`,
    [subscriberId],
  );
  return {
    votes: votes.rows[0] ?? { more: 0, less: 0 },
    more: terms.rows.filter((term) => term.weight > 0),
    less: terms.rows.filter((term) => term.weight < 0),
  };
}

/** Forgets every vote and what was learned from them; digests rank as for a new reader. */
export async function resetLearning(
  pool: Pool,
  subscriberId: string,
  tokenVersion: number,
): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const reader = await client.query(
      'SELECT 1 FROM subscribers WHERE id = $1 AND token_version = $2 FOR UPDATE',
      [subscriberId, tokenVersion],
    );
    if (reader.rowCount !== 1) return false;
    await client.query('DELETE FROM paper_votes WHERE subscriber_id = $1', [subscriberId]);
    await client.query('DELETE FROM reader_terms WHERE subscriber_id = $1', [subscriberId]);
    return true;
  });
}

export interface VoteRecord {
  paperId: string;
  title: string;
  direction: VoteDirection;
  votedAt: Date;
}

/** Every vote of a reader, newest first: part of "download everything stored about you". */
export async function listVotes(db: Pool | PoolClient, subscriberId: string): Promise<VoteRecord[]> {
  const result = await db.query<VoteRecord>(
    `SELECT v.paper_id AS "paperId", p.title, CASE WHEN v.direction = 1 THEN 'more' ELSE 'less' END AS direction,
            v.voted_at AS "votedAt"
     FROM paper_votes v JOIN papers p ON p.id = v.paper_id
     WHERE v.subscriber_id = $1 ORDER BY v.voted_at DESC, v.paper_id`,
    [subscriberId],
  );
  return result.rows;
}

/** The title a vote page shows, or null for a paper the store does not have. */
export async function findPaperTitle(db: Pool | PoolClient, paperId: string): Promise<string | null> {
  const result = await db.query<{ title: string }>('SELECT title FROM papers WHERE id = $1', [paperId]);
  return result.rows[0]?.title ?? null;
}

/** The paper at a 1-based position of an edition's mail, with its title; null if there is none. */
export async function findEditionPaper(
  db: Pool | PoolClient,
  editionId: string,
  position: number,
): Promise<{ paperId: string; title: string } | null> {
  const result = await db.query<{ paperId: string; title: string }>(
    `SELECT p.id AS "paperId", p.title FROM digest_editions e JOIN papers p ON p.id = e.paper_ids[$2::int]
     WHERE e.id = $1`,
    [editionId, position],
  );
  return result.rows[0] ?? null;
}
