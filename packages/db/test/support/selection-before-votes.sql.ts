/**
 * The selection statement exactly as it was before readers could vote (commit 445aa73), frozen
 * here so a test can show that a reader without votes still gets exactly this selection.
 * $1 readers (jsonb), $2 lookback days, $3 now.
 */
export const SELECTION_BEFORE_VOTES_SQL = `
WITH readers AS MATERIALIZED (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS r(reader_key text, subscriber_id uuid, topics text[], local_date date, paper_limit int)
),
window_papers AS MATERIALIZED (
  SELECT p.id, p.search, p.upvotes, ((1 + GREATEST(COALESCE(upvotes, 0), 0)::double precision + 0.5 * GREATEST(COALESCE(comments, 0), 0)::double precision + LN(1 + GREATEST(COALESCE(github_stars, 0), 0)::double precision)) / POWER(GREATEST(0, COALESCE(EXTRACT(EPOCH FROM ($3::timestamptz - COALESCE(trending_date::timestamp AT TIME ZONE 'UTC', published_at)))::double precision / 3600, 72)) + 2, 1.5)) AS trending_score,
         coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date) AS paper_date
  FROM papers p
  WHERE NOT p.withdrawn
    AND coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date)
        > (SELECT min(local_date) FROM readers) - $2::int
),
topics AS MATERIALIZED (
  SELECT topic, paperboy_topic_query(topic) AS query
  FROM (SELECT DISTINCT unnest(topics) AS topic FROM readers) AS distinct_topics
),
topic_hits AS MATERIALIZED (
  SELECT t.topic, w.id, ts_rank(w.search, t.query) AS topic_rank
  FROM window_papers w JOIN topics t ON w.search @@ t.query
)
SELECT r.reader_key, p.id, p.title, p.authors, p.abstract, p.ai_summary, p.links, p.upvotes, p.comments,
       p.github_stars, selection.matched_topics, selection.trending_score, selection.position
FROM readers r
CROSS JOIN LATERAL (
  WITH candidates AS (
    SELECT w.id, w.upvotes, w.trending_score
    FROM window_papers w
    WHERE w.paper_date > r.local_date - $2::int
      AND NOT EXISTS (
        SELECT 1 FROM delivery_papers dp WHERE dp.subscriber_id = r.subscriber_id AND dp.paper_id = w.id
      )
  ),
  hits AS (
    SELECT c.id, h.topic, h.topic_rank,
           row_number() OVER (
             PARTITION BY h.topic
             ORDER BY round((h.topic_rank)::numeric, 1) DESC, c.trending_score DESC, h.topic_rank DESC, coalesce(c.upvotes, 0) DESC, c.id
           ) AS place
    FROM candidates c JOIN topic_hits h ON h.id = c.id
    WHERE h.topic = ANY (r.topics)
  ),
  matches AS (
    SELECT id, array_agg(topic ORDER BY topic) AS matched_topics, min(place) AS best_place,
           sum(topic_rank) AS match_score
    FROM hits GROUP BY id
  )
  SELECT c.id, coalesce(m.matched_topics, '{}') AS matched_topics, c.trending_score,
         row_number() OVER (ORDER BY m.best_place NULLS LAST, m.match_score DESC NULLS LAST,
           c.trending_score DESC, coalesce(c.upvotes, 0) DESC, c.id) AS position
  FROM candidates c
  LEFT JOIN matches m USING (id)
  ORDER BY m.best_place NULLS LAST, m.match_score DESC NULLS LAST,
           c.trending_score DESC, coalesce(c.upvotes, 0) DESC, c.id
  LIMIT r.paper_limit
) AS selection
JOIN papers p ON p.id = selection.id
ORDER BY r.reader_key, selection.position
`;
