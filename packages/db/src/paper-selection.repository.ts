import { type PaperCard, type PaperLinks, trendingScoreSql } from '@paperboy/papers';
import { topicMatchOrder, trendingOrder } from './paper-ranking.sql.ts';
import type { Pool, PoolClient } from './pool.ts';

export interface SelectedPaper extends PaperCard {
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

/*
 * A reader's digest, in one statement:
 * 1. Candidates: papers of the lookback window, not withdrawn, not already sent to this reader
 *    (UNIQUE (subscriber_id, paper_id) in delivery_papers is the last line of defence).
 * 2. Each topic (paperboy_topic_query: words or phrases) ranks its matches in the topic order
 *    of paper-ranking.sql.ts. Topics take turns: every topic's best match comes before any
 *    topic's second best, so one prolific topic cannot crowd out a reader's other interests.
 *    A paper matching several topics takes its best place and ranks above single matches there.
 * 3. Papers matching no topic fill the rest in the general trending order.
 */
const SELECT_SQL = `
WITH topics AS (
  SELECT topic, paperboy_topic_query(topic) AS query FROM unnest($2::text[]) AS topic
),
candidates AS (
  SELECT p.id, p.search, p.upvotes, ${trendingScoreSql('$6')} AS trending_score
  FROM papers p
  WHERE NOT p.withdrawn
    AND coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date) > $3::date - $4::int
    AND NOT EXISTS (SELECT 1 FROM delivery_papers dp WHERE dp.subscriber_id = $1 AND dp.paper_id = p.id)
),
hits AS (
  SELECT c.id, t.topic, ts_rank(c.search, t.query) AS topic_rank,
         row_number() OVER (
           PARTITION BY t.topic
           ORDER BY ${topicMatchOrder('ts_rank(c.search, t.query)', 'c.trending_score', 'c.upvotes', 'c.id')}
         ) AS place
  FROM candidates c JOIN topics t ON c.search @@ t.query
),
matches AS (
  SELECT id, array_agg(topic ORDER BY topic) AS matched_topics, min(place) AS best_place,
         sum(topic_rank) AS match_score
  FROM hits GROUP BY id
)
SELECT p.id, p.title, p.authors, p.abstract, p.ai_summary, p.links, p.upvotes, p.comments, p.github_stars,
       coalesce(m.matched_topics, '{}') AS matched_topics, c.trending_score
FROM candidates c
JOIN papers p USING (id)
LEFT JOIN matches m USING (id)
ORDER BY m.best_place NULLS LAST, m.match_score DESC NULLS LAST,
         ${trendingOrder('c.trending_score', 'c.upvotes', 'c.id')}
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
