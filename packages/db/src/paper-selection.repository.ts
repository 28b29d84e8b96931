import { type PaperLinks, trendingScoreSql } from '@paperboy/papers';
import type { Pool, PoolClient } from './pool.ts';

export interface SelectedPaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  aiSummary: string | null;
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  matchedTopics: string[];
  trendingScore: number;
}

export interface SelectionRequest {
  subscriberId: string;
  topics: string[];
  /** The reader's local date the digest is for (YYYY-MM-DD). */
  localDate: string;
  lookbackDays: number;
  limit: number;
}

// Papers matching any of the reader's topics come first (best full-text match, then trending);
// the rest of the digest is filled with general trending papers. Papers the reader already
// received are excluded here and, as a last line, by UNIQUE (subscriber_id, paper_id).
const SELECT_SQL = `
WITH topics AS (
  SELECT topic, websearch_to_tsquery('english', topic) AS query FROM unnest($2::text[]) AS topic
),
candidates AS (
  SELECT p.*, ${trendingScoreSql('$6')} AS trending_score
  FROM papers p
  WHERE NOT p.withdrawn
    AND coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date) > $3::date - $4::int
    AND NOT EXISTS (SELECT 1 FROM delivery_papers dp WHERE dp.subscriber_id = $1 AND dp.paper_id = p.id)
),
matches AS (
  SELECT c.id,
         coalesce(array_agg(t.topic ORDER BY t.topic) FILTER (WHERE t.topic IS NOT NULL), '{}') AS matched_topics,
         max(ts_rank(c.search, t.query)) AS topic_rank
  FROM candidates c LEFT JOIN topics t ON c.search @@ t.query
  GROUP BY c.id
)
SELECT c.id, c.title, c.authors, c.abstract, c.ai_summary, c.links, c.upvotes, c.comments, c.github_stars,
       m.matched_topics, c.trending_score
FROM candidates c JOIN matches m USING (id)
ORDER BY (m.topic_rank IS NOT NULL) DESC, m.topic_rank DESC NULLS LAST, c.trending_score DESC, c.id
LIMIT $5`;

interface SelectedRow {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  ai_summary: string | null;
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  github_stars: number | null;
  matched_topics: string[];
  trending_score: number;
}

export async function selectPapersForReader(
  db: Pool | PoolClient,
  request: SelectionRequest,
  now: Date = new Date(),
): Promise<SelectedPaper[]> {
  const result = await db.query<SelectedRow>(SELECT_SQL, [
    request.subscriberId,
    request.topics,
    request.localDate,
    request.lookbackDays,
    request.limit,
    now.toISOString(),
  ]);
  return result.rows.map((row) => ({
    id: row.id,
    title: row.title,
    authors: row.authors,
    abstract: row.abstract,
    aiSummary: row.ai_summary,
    links: row.links,
    upvotes: row.upvotes,
    comments: row.comments,
    githubStars: row.github_stars,
    matchedTopics: row.matched_topics,
    trendingScore: Number(row.trending_score),
  }));
}
