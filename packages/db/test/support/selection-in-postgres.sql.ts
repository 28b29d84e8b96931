/**
 * The selection statement that ranked readers in Postgres, votes included, exactly as it was at
 * 03e13dd (its helpers written out), before the ranking moved into the worker
 * (packages/db/src/reader-ranking.ts). Frozen here so a test can show that readers, voters
 * included, still get exactly its picks.
 * $1 reader keys, $2 now, $3 subscriber ids, $4 topics (text array literals), $5 local dates,
 * $6 limits, $7 lookback days.
 */
export const SELECTION_IN_POSTGRES_SQL = `
WITH readers AS MATERIALIZED (
  SELECT r.reader_key, r.subscriber_id, r.topics::text[] AS topics, r.local_date, r.paper_limit,
         r.lookback_days
  FROM unnest($1::text[], $3::uuid[], $4::text[], $5::date[], $6::int[], $7::int[])
    AS r(reader_key, subscriber_id, topics, local_date, paper_limit, lookback_days)
),
window_papers AS MATERIALIZED (
  SELECT p.id, p.search, p.upvotes, ((1 + GREATEST(COALESCE(upvotes, 0), 0)::double precision + 0.5 * GREATEST(COALESCE(comments, 0), 0)::double precision + LN(1 + GREATEST(COALESCE(github_stars, 0), 0)::double precision)) / POWER(GREATEST(0, COALESCE(EXTRACT(EPOCH FROM ($2::timestamptz - COALESCE(trending_date::timestamp AT TIME ZONE 'UTC', published_at)))::double precision / 3600, 72)) + 2, 1.5)) AS trending_score,
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

profiles AS MATERIALIZED (
  SELECT r.reader_key, t.lexeme, t.weight
  FROM readers r JOIN reader_terms t ON t.subscriber_id = r.subscriber_id
),
window_lexemes AS MATERIALIZED (
  SELECT w.id, l.lexeme
  FROM window_papers w CROSS JOIN LATERAL unnest(tsvector_to_array(w.search)) AS l(lexeme)
  WHERE EXISTS (SELECT 1 FROM profiles) AND l.lexeme IN (SELECT lexeme FROM profiles)
),
learned_scores AS MATERIALIZED (
  SELECT reader_key, jsonb_object_agg(id, score) AS scores
  FROM (
    SELECT p.reader_key, wl.id, tanh(sum(p.weight)) AS score
    FROM profiles p JOIN window_lexemes wl ON wl.lexeme = p.lexeme
    GROUP BY p.reader_key, wl.id
  ) AS per_paper
  GROUP BY reader_key
)
SELECT r.reader_key, selection.id, selection.matched_topics, selection.trending_score
FROM readers r
LEFT JOIN learned_scores learned ON learned.reader_key = r.reader_key
LEFT JOIN already_sent sent ON sent.subscriber_id = r.subscriber_id
CROSS JOIN LATERAL (
  WITH candidates AS (
    SELECT w.id, w.upvotes, w.trending_score,
           CASE WHEN learned.scores IS NULL THEN w.trending_score
    ELSE w.trending_score * exp(2 * coalesce((learned.scores ->> w.id)::double precision, 0)) END AS ranking_score
    FROM window_papers w
    WHERE w.paper_date > r.local_date - r.lookback_days
      AND NOT EXISTS (SELECT 1 FROM unnest(sent.paper_ids) AS sent_paper(id) WHERE sent_paper.id = w.id)
  ),
  -- The reader's candidates among the topics' matches.
  topic_candidates AS (
    SELECT h.id, h.topic, h.topic_rank, h.upvotes,
           CASE WHEN learned.scores IS NULL THEN h.trending_score
    ELSE h.trending_score * exp(2 * coalesce((learned.scores ->> h.id)::double precision, 0)) END AS ranking_score
    FROM topic_hits h
    WHERE h.topic = ANY (r.topics) AND h.paper_date > r.local_date - r.lookback_days
      AND NOT EXISTS (SELECT 1 FROM unnest(sent.paper_ids) AS sent_paper(id) WHERE sent_paper.id = h.id)
  ),
  hits AS (
    SELECT h.id, h.topic, h.topic_rank,
           row_number() OVER (
             PARTITION BY h.topic
             ORDER BY round((h.topic_rank)::numeric, 1) DESC, h.ranking_score DESC, h.topic_rank DESC, coalesce(h.upvotes, 0) DESC, h.id
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
  ORDER BY m.best_place NULLS LAST, m.match_score DESC NULLS LAST,
           c.ranking_score DESC, coalesce(c.upvotes, 0) DESC, c.id
  LIMIT r.paper_limit
) AS selection
-- The reader's order again, over their few picks: numbering all candidates inside the LATERAL
-- (row_number) made Postgres sort every candidate instead of keeping only the best few (top-N).
ORDER BY r.reader_key, selection.best_place NULLS LAST, selection.match_score DESC NULLS LAST,
           selection.ranking_score DESC, coalesce(selection.upvotes, 0) DESC, selection.id
`;
