import type { PaperLinks, PaperSource } from '@paperboy/papers';
import type { Pool, PoolClient } from './pool.ts';

/** Everything paperboy's own page of a paper shows. */
export interface PaperPage {
  id: string;
  arxivId: string | null;
  title: string;
  authors: string[];
  abstract: string;
  aiSummary: string | null;
  aiKeywords: string[];
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  publishedAt: Date | null;
  trendingDate: string | null;
  sources: PaperSource[];
  updatedAt: Date;
}

/** A paper by its id; withdrawn papers are not shown, as they are never mailed. */
export async function findPaperPage(db: Pool | PoolClient, id: string): Promise<PaperPage | null> {
  const result = await db.query<PaperPage>(
    `SELECT id, arxiv_id AS "arxivId", title, authors, abstract, ai_summary AS "aiSummary",
       ai_keywords AS "aiKeywords", links, upvotes, comments, github_stars AS "githubStars",
       published_at AS "publishedAt", trending_date AS "trendingDate", sources, updated_at AS "updatedAt"
     FROM papers WHERE id = $1 AND NOT withdrawn`,
    [id],
  );
  return result.rows[0] ?? null;
}

/**
 * Topics to suggest on the sign-up form: the keywords of recent papers and the topics readers
 * chose, most common first. A readers' topic is suggested only once at least `minReaders` active
 * readers chose it, so a suggestion never reveals what one person reads.
 */
export async function topicSuggestions(
  db: Pool | PoolClient,
  options: { now: Date; days: number; minReaders: number; limit: number },
): Promise<string[]> {
  const result = await db.query<{ topic: string }>(
    `WITH keywords AS (
       SELECT lower(keyword) AS topic, count(*) AS uses
       FROM papers, unnest(ai_keywords) AS keyword
       WHERE NOT withdrawn
         AND coalesce(trending_date, (first_seen_at AT TIME ZONE 'UTC')::date)
             > ($1::timestamptz AT TIME ZONE 'UTC')::date - $2::int
       GROUP BY 1
     ), chosen AS (
       SELECT lower(topic) AS topic, count(DISTINCT id) AS uses
       FROM subscribers, unnest(topics) AS topic
       WHERE status = 'active'
       GROUP BY 1 HAVING count(DISTINCT id) >= $3
     )
     SELECT topic FROM (SELECT * FROM keywords UNION ALL SELECT * FROM chosen) AS every_use
     WHERE length(topic) BETWEEN 2 AND 80
     GROUP BY topic ORDER BY sum(uses) DESC, topic LIMIT $4`,
    [options.now.toISOString(), options.days, options.minReaders, options.limit],
  );
  return result.rows.map((row) => row.topic);
}
