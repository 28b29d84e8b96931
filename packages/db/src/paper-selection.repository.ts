import { type PaperCard, type PaperLinks, trendingScoreSql } from '@paperboy/papers';
import type { Pool, PoolClient } from './pool.ts';
import { LEARNED_SCORES_CTES } from './reader-profile.sql.ts';
import { orderRankingInputs, rankForReader, type TopicHit, type WindowPaper } from './reader-ranking.ts';
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
 * Readers' digests, any number of readers in one statement, ranked as reader-ranking.ts says.
 * The statement reads what a batch's ranking needs, once per batch, as one row of JSON (cheaper
 * for Postgres to build and for Node to parse than thousands of rows):
 * - `papers`: the window's papers (from the batch's earliest date), not withdrawn, with their
 *   trending scores;
 * - `hits`: every topic's full-text matches among them (once per distinct topic of the batch),
 *   with ts_rank and ts_rank rounded to one decimal as the topic order rounds it;
 * - `sent`: what each reader was already sent among the window's papers (UNIQUE (subscriber_id,
 *   paper_id) in delivery_papers stays the last line of defence);
 * - `learned`: each voter's learned score per window paper (reader-profile.sql.ts).
 * The per-reader part, filtering and ordering a few hundred candidates, runs in the worker.
 */
const SELECTION_INPUTS_SQL = `
WITH readers AS MATERIALIZED (
  SELECT r.reader_key, r.subscriber_id, r.topics::text[] AS topics, r.local_date, r.lookback_days
  FROM unnest($1::text[], $3::uuid[], $4::text[], $5::date[], $6::int[])
    AS r(reader_key, subscriber_id, topics, local_date, lookback_days)
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
-- One range of the (subscriber_id, paper_id) index per reader, from the window's smallest paper
-- id, whatever the statistics say: written as \`paper_id IN (window_papers)\`, the planner turned
-- it into one probe per window paper as soon as readers had history (627 buffer hits per reader
-- in \`npm run bench\`). Ids below the bound cannot be in the window; an older id above it that
-- is not in the window is one id more in the reader's set.
already_sent AS MATERIALIZED (
  SELECT r.reader_key,
         ARRAY(SELECT dp.paper_id FROM delivery_papers dp
               WHERE dp.subscriber_id = r.subscriber_id
                 AND dp.paper_id >= (SELECT min(id) FROM window_papers))
           AS paper_ids
  FROM readers r
),
${LEARNED_SCORES_CTES}
SELECT
  (SELECT coalesce(json_agg(json_build_array(w.id, coalesce(w.upvotes, 0), w.trending_score, w.paper_date)), '[]')
   FROM window_papers w) AS papers,
  -- ts_rank is a real: widened to double precision it reaches Node exactly.
  (SELECT coalesce(json_agg(json_build_array(h.topic, h.id, h.topic_rank::double precision,
                                             round(h.topic_rank::numeric, 1))), '[]')
   FROM (SELECT t.topic, w.id, ts_rank(w.search, t.query) AS topic_rank
         FROM window_papers w JOIN topics t ON w.search @@ t.query) AS h) AS hits,
  (SELECT coalesce(json_object_agg(s.reader_key, s.paper_ids), '{}')
   FROM already_sent s WHERE cardinality(s.paper_ids) > 0) AS sent,
  (SELECT coalesce(json_object_agg(l.reader_key, l.scores), '{}') FROM learned_scores l) AS learned`;

/*
 * The selected papers' cards, each read once per batch: readers of a batch share most of their
 * papers, so returning every card with every reader's row sent (and parsed) the same abstracts
 * several times over.
 */
const CARDS_SQL = `
SELECT id, title, authors, abstract, ai_summary, links, upvotes, comments, github_stars
FROM papers WHERE id = ANY ($1::text[])`;

/** The statement's one row; json columns arrive parsed. */
interface SelectionInputsRow {
  /** [id, upvotes (unknown as 0), trending score, paper date]. */
  papers: [string, number, number, string][];
  /** [topic, paper id, ts_rank, ts_rank rounded to one decimal]. */
  hits: [string, string, number, number][];
  /** Reader key → ids already sent; readers without any are left out. */
  sent: Record<string, string[]>;
  /** Reader key → { paper id: learned score }; readers without learned scores are left out. */
  learned: Record<string, Record<string, number>>;
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
  const lookbackDays = (reader: (typeof readers)[number]) => reader.lookbackDays ?? request.lookbackDays;
  const inputsResult = await db.query<SelectionInputsRow>(SELECTION_INPUTS_SQL, [
    readers.map((reader) => reader.deliveryId),
    now.toISOString(),
    readers.map((reader) => reader.subscriberId),
    readers.map((reader) => textArrayLiteral(reader.topics)),
    readers.map((reader) => reader.localDate),
    readers.map(lookbackDays),
  ]);
  const row = inputsResult.rows[0]!;
  const papers = row.papers.map(
    ([id, upvotes, trendingScore, paperDate]): WindowPaper => ({ id, upvotes, trendingScore, paperDate }),
  );
  const paperById = new Map(papers.map((paper) => [paper.id, paper]));
  const hits: { topic: string; hit: TopicHit }[] = [];
  for (const [topic, id, rank, roundedRank] of row.hits) {
    const paper = paperById.get(id);
    if (paper !== undefined) hits.push({ topic, hit: { paper, rank, roundedRank } });
  }
  const inputs = orderRankingInputs(papers, hits);
  const noneSent = new Set<string>();
  const picks = readers.map((reader) => {
    const sent = row.sent[reader.deliveryId];
    return rankForReader(inputs, {
      topics: reader.topics,
      localDate: reader.localDate,
      lookbackDays: lookbackDays(reader),
      limit: reader.limit,
      sent: sent === undefined ? noneSent : new Set(sent),
      learned: row.learned[reader.deliveryId],
    });
  });
  const paperIds = [...new Set(picks.flatMap((picked) => picked.map((paper) => paper.id)))];
  if (paperIds.length === 0) return selections;
  const cards = new Map(
    (await db.query<CardRow>(CARDS_SQL, [paperIds])).rows.map((card) => [card.id, toPaperCard(card)]),
  );
  readers.forEach((reader, index) => {
    const selection = selections.get(reader.deliveryId)!;
    for (const picked of picks[index]!) {
      const card = cards.get(picked.id);
      // Only a paper deleted between the two statements is missing; the digest goes without it.
      if (card === undefined) continue;
      // Every field named: one object shape for every selected paper (a spread was 5 µs each).
      selection.push({
        id: card.id,
        title: card.title,
        authors: card.authors,
        abstract: card.abstract,
        aiSummary: card.aiSummary,
        links: card.links,
        upvotes: card.upvotes,
        comments: card.comments,
        githubStars: card.githubStars,
        matchedTopics: picked.matchedTopics,
        trendingScore: picked.trendingScore,
      });
    }
  });
  return selections;
}
