import { type PaperCard, type PaperLinks, trendingScoreSql } from '@paperboy/papers';
import { topicMatchOrder, trendingOrder } from './paper-ranking.sql.ts';
import type { Pool, PoolClient } from './pool.ts';
import { LEARNED_SCORES_CTES, learnedRankingScore } from './reader-profile.sql.ts';
import { textArrayLiteral } from './sql-arrays.ts';

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
 * Readers' digests, any number of readers in one statement:
 * 1. Candidates: papers of the lookback window, not withdrawn, not already sent to this reader
 *    (UNIQUE (subscriber_id, paper_id) in delivery_papers is the last line of defence).
 * 2. Each topic (paperboy_topic_query: words or phrases) ranks its matches in the topic order
 *    of paper-ranking.sql.ts. Topics take turns: every topic's best match comes before any
 *    topic's second best, so one prolific topic cannot crowd out a reader's other interests.
 *    A paper matching several topics takes its best place and ranks above single matches there.
 * 3. Papers matching no topic fill the rest in the general trending order.
 * 4. What the reader's votes taught (reader-profile.sql.ts) scales each candidate's trending score
 *    wherever it orders papers (among equally good topic matches, and in the general fill): papers
 *    sharing terms with what they liked rise, those like what they disliked fall. A reader without
 *    learned terms is ranked by the trending score itself, exactly as before votes existed.
 *
 * What does not depend on the reader is worked out once per statement: the window's papers with
 * their trending scores (`window_papers`, from the batch's earliest date) and every topic's
 * full-text matches and ranks (`topic_hits`, once per distinct topic). Per reader (the LATERAL)
 * only the cheap part runs: the reader's date window and already-sent papers are filtered out,
 * places are numbered among what is left, and the list is ordered and cut. That is what makes a
 * compose batch cost well under a millisecond per reader.
 */
const selectionOrder = (match: string, candidate: string) =>
  `${match}.best_place NULLS LAST, ${match}.match_score DESC NULLS LAST,
           ${trendingOrder(`${candidate}.ranking_score`, `${candidate}.upvotes`, `${candidate}.id`)}`;
const SELECTION_ORDER = selectionOrder('m', 'c');

/** A window paper the reader may get: inside their own date window and not sent to them before. */
const mayGet = (paper: string) =>
  `${paper}.paper_date > r.local_date - r.lookback_days
      AND NOT EXISTS (SELECT 1 FROM unnest(sent.paper_ids) AS sent_paper(id) WHERE sent_paper.id = ${paper}.id)`;

const SELECT_SQL = `
WITH readers AS MATERIALIZED (
  SELECT r.reader_key, r.subscriber_id, r.topics::text[] AS topics, r.local_date, r.paper_limit,
         r.lookback_days
  FROM unnest($1::text[], $3::uuid[], $4::text[], $5::date[], $6::int[], $7::int[])
    AS r(reader_key, subscriber_id, topics, local_date, paper_limit, lookback_days)
),
window_papers AS MATERIALIZED (
  SELECT p.id, p.search, p.upvotes, ${trendingScoreSql('$2')} AS trending_score,
         coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date) AS paper_date
  FROM papers p
  WHERE NOT p.withdrawn
    AND coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date)
        > (SELECT min(local_date - lookback_days) FROM readers)
),
topics AS MATERIALIZED (
  SELECT topic, paperboy_topic_query(topic) AS query
  FROM (SELECT DISTINCT unnest(topics) AS topic FROM readers) AS distinct_topics
),
-- What each reader was already sent among the window's papers, read once per reader and checked
-- as a hash anti-join (probing delivery_papers for every candidate was ~200 index probes per
-- reader). The lower bound is the window's smallest paper id, one range of the (subscriber_id,
-- paper_id) index whatever the statistics say: written as \`paper_id IN (window_papers)\`, the
-- planner turned it back into one probe per window paper as soon as readers had history (627
-- buffer hits per reader in \`npm run bench\`). Ids below the bound cannot be in the window, and
-- an older id above it that is not in the window only makes the anti-join's hash one entry larger.
already_sent AS MATERIALIZED (
  SELECT r.subscriber_id,
         ARRAY(SELECT dp.paper_id FROM delivery_papers dp
               WHERE dp.subscriber_id = r.subscriber_id
                 AND dp.paper_id >= (SELECT min(id) FROM window_papers))
           AS paper_ids
  FROM readers r
),
-- Each match carries what the per-reader ranking needs, so a reader's hits are filtered from
-- here directly instead of joining the reader's candidates (a hash of ~200 papers per reader).
topic_hits AS MATERIALIZED (
  SELECT t.topic, w.id, ts_rank(w.search, t.query) AS topic_rank, w.upvotes, w.trending_score,
         w.paper_date
  FROM window_papers w JOIN topics t ON w.search @@ t.query
),
${LEARNED_SCORES_CTES}
SELECT r.reader_key, selection.id, selection.matched_topics, selection.trending_score
FROM readers r
LEFT JOIN learned_scores learned ON learned.reader_key = r.reader_key
LEFT JOIN already_sent sent ON sent.subscriber_id = r.subscriber_id
CROSS JOIN LATERAL (
  WITH candidates AS (
    SELECT w.id, w.upvotes, w.trending_score,
           ${learnedRankingScore('learned.scores', 'w.id', 'w.trending_score')} AS ranking_score
    FROM window_papers w
    WHERE ${mayGet('w')}
  ),
  -- The reader's candidates among the topics' matches.
  topic_candidates AS (
    SELECT h.id, h.topic, h.topic_rank, h.upvotes,
           ${learnedRankingScore('learned.scores', 'h.id', 'h.trending_score')} AS ranking_score
    FROM topic_hits h
    WHERE h.topic = ANY (r.topics) AND ${mayGet('h')}
  ),
  hits AS (
    SELECT h.id, h.topic, h.topic_rank,
           row_number() OVER (
             PARTITION BY h.topic
             ORDER BY ${topicMatchOrder('h.topic_rank', 'h.ranking_score', 'h.upvotes', 'h.id')}
           ) AS place
    FROM topic_candidates h
  ),
  matches AS (
    SELECT id, array_agg(topic ORDER BY topic) AS matched_topics, min(place) AS best_place,
           sum(topic_rank) AS match_score
    FROM hits GROUP BY id
  )
  SELECT c.id, coalesce(m.matched_topics, '{}') AS matched_topics, c.trending_score,
         m.best_place, m.match_score, c.ranking_score, c.upvotes
  FROM candidates c
  LEFT JOIN matches m USING (id)
  ORDER BY ${SELECTION_ORDER}
  LIMIT r.paper_limit
) AS selection
-- The reader's order again, over their few picks: numbering all candidates inside the LATERAL
-- (row_number) made Postgres sort every candidate instead of keeping only the best few (top-N).
ORDER BY r.reader_key, ${selectionOrder('selection', 'selection')}`;

/*
 * The selected papers' cards, each read once per batch: readers of a batch share most of their
 * papers, so returning every card with every reader's row sent (and parsed) the same abstracts
 * several times over.
 */
const CARDS_SQL = `
SELECT id, title, authors, abstract, ai_summary, links, upvotes, comments, github_stars
FROM papers WHERE id = ANY ($1::text[])`;

interface SelectedRow {
  reader_key: string;
  id: string;
  matched_topics: string[];
  trending_score: number;
}

interface CardRow {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  ai_summary: string | null;
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  github_stars: number | null;
}

function toPaperCard(row: CardRow): PaperCard {
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
  };
}

/** One reader's digest: the batch statement with a batch of one, so both rank exactly alike. */
export async function selectPapersForReader(
  db: Pool | PoolClient,
  request: SelectionRequest,
  now: Date = new Date(),
): Promise<SelectedPaper[]> {
  const selections = await selectPapersForReaders(
    db,
    {
      readers: [
        {
          deliveryId: request.subscriberId,
          subscriberId: request.subscriberId,
          topics: request.topics,
          localDate: request.localDate,
          limit: request.limit,
        },
      ],
      lookbackDays: request.lookbackDays,
    },
    now,
  );
  return selections.get(request.subscriberId) ?? [];
}

export interface BatchSelectionRequest {
  /**
   * deliveryId keys the result; a subscriber must appear at most once (see below). A reader's own
   * lookbackDays (a weekly digest's week) overrides the batch's.
   */
  readers: {
    deliveryId: string;
    subscriberId: string;
    topics: string[];
    localDate: string;
    limit: number;
    lookbackDays?: number;
  }[];
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
  // Parallel arrays (unnest), not a JSON document: cheaper to build and for Postgres to read.
  const readers = request.readers;
  const result = await db.query<SelectedRow>(SELECT_SQL, [
    readers.map((reader) => reader.deliveryId),
    now.toISOString(),
    readers.map((reader) => reader.subscriberId),
    readers.map((reader) => textArrayLiteral(reader.topics)),
    readers.map((reader) => reader.localDate),
    readers.map((reader) => reader.limit),
    readers.map((reader) => reader.lookbackDays ?? request.lookbackDays),
  ]);
  if (result.rows.length === 0) return selections;
  const paperIds = [...new Set(result.rows.map((row) => row.id))];
  const cards = new Map(
    (await db.query<CardRow>(CARDS_SQL, [paperIds])).rows.map((row) => [row.id, toPaperCard(row)]),
  );
  for (const row of result.rows) {
    const card = cards.get(row.id);
    // Only a paper deleted between the two statements is missing; the digest goes without it.
    if (card === undefined) continue;
    selections.get(row.reader_key)?.push({
      id: card.id,
      title: card.title,
      authors: card.authors,
      abstract: card.abstract,
      aiSummary: card.aiSummary,
      links: card.links,
      upvotes: card.upvotes,
      comments: card.comments,
      githubStars: card.githubStars,
      matchedTopics: row.matched_topics,
      trendingScore: Number(row.trending_score),
    });
  }
  return selections;
}
