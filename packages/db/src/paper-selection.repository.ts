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
interface SelectionTerms {
  subscriberId: string;
  topics: string;
  localDate: string;
  lookbackDays: string;
  limit: string;
  now: string;
}

// The final order, also numbered as each paper's position so a batch can keep every reader's order.
const SELECTION_ORDER = `m.best_place NULLS LAST, m.match_score DESC NULLS LAST,
         ${trendingOrder('c.trending_score', 'c.upvotes', 'c.id')}`;

/** One reader's ranking with SQL expressions for its inputs: parameters alone, or a batch's columns. */
function readerSelectionSql(terms: SelectionTerms): string {
  return `
WITH topics AS (
  SELECT topic, paperboy_topic_query(topic) AS query FROM unnest(${terms.topics}) AS topic
),
candidates AS (
  SELECT p.id, p.search, p.upvotes, ${trendingScoreSql(terms.now)} AS trending_score
  FROM papers p
  WHERE NOT p.withdrawn
    AND coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date) > ${terms.localDate} - ${terms.lookbackDays}
    AND NOT EXISTS (SELECT 1 FROM delivery_papers dp WHERE dp.subscriber_id = ${terms.subscriberId} AND dp.paper_id = p.id)
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
       coalesce(m.matched_topics, '{}') AS matched_topics, c.trending_score,
       row_number() OVER (ORDER BY ${SELECTION_ORDER}) AS position
FROM candidates c
JOIN papers p USING (id)
LEFT JOIN matches m USING (id)
ORDER BY ${SELECTION_ORDER}
LIMIT ${terms.limit}`;
}

const SELECT_SQL = readerSelectionSql({
  subscriberId: '$1',
  topics: '$2::text[]',
  localDate: '$3::date',
  lookbackDays: '$4::int',
  limit: '$5',
  now: '$6',
});

/*
 * Many readers' digests in one statement: the same ranking, run per reader by a LATERAL join over
 * the batch, so a compose batch costs one round trip instead of one per reader.
 */
const SELECT_BATCH_SQL = `
SELECT r.delivery_id, selection.*
FROM jsonb_to_recordset($1::jsonb)
     AS r(delivery_id uuid, subscriber_id uuid, topics text[], local_date date, paper_limit int)
CROSS JOIN LATERAL (${readerSelectionSql({
  subscriberId: 'r.subscriber_id',
  topics: 'r.topics',
  localDate: 'r.local_date',
  lookbackDays: '$2::int',
  limit: 'r.paper_limit',
  now: '$3',
})}) AS selection
ORDER BY r.delivery_id, selection.position`;

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

function toSelectedPaper(row: SelectedRow): SelectedPaper {
  return {
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
  };
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
  return result.rows.map(toSelectedPaper);
}

export interface BatchSelectionRequest {
  readers: { deliveryId: string; subscriberId: string; topics: string[]; localDate: string; limit: number }[];
  lookbackDays: number;
}

/**
 * Every reader's selection for a batch of deliveries, by delivery id, each in the reader's order.
 * A subscriber must appear at most once: the readers are ranked together, so two deliveries of one
 * reader would not see each other's papers.
 */
export async function selectPapersForReaders(
  db: Pool | PoolClient,
  request: BatchSelectionRequest,
  now: Date = new Date(),
): Promise<Map<string, SelectedPaper[]>> {
  const selections = new Map<string, SelectedPaper[]>(
    request.readers.map((reader) => [reader.deliveryId, []]),
  );
  if (request.readers.length === 0) return selections;
  const result = await db.query<SelectedRow & { delivery_id: string }>(SELECT_BATCH_SQL, [
    JSON.stringify(
      request.readers.map((reader) => ({
        delivery_id: reader.deliveryId,
        subscriber_id: reader.subscriberId,
        topics: reader.topics,
        local_date: reader.localDate,
        paper_limit: reader.limit,
      })),
    ),
    request.lookbackDays,
    now.toISOString(),
  ]);
  for (const row of result.rows) selections.get(row.delivery_id)?.push(toSelectedPaper(row));
  return selections;
}
