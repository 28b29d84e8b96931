/*
 * How votes change a reader's ranking: the learned scores, as SQL for the selection statement
 * (paper-selection.repository.ts), which the ranking (reader-ranking.ts) applies. The profile itself, a few weighted lexemes per reader, is built
 * by reader-profile.repository.ts after every vote.
 *
 * A candidate's learned score is tanh of the sum of the weights of the reader's profile lexemes
 * it contains (its `search` tsvector: title, keywords, abstract): in (-1, 1), and still larger for
 * a paper sharing more of what the reader liked (a clamp would make every good match tie). It
 * scales the trending score by exp(LEARNING_STRENGTH × score): from ×0.14 (like what the reader
 * disliked) to ×7.4 (like what they liked). Strong enough that three votes visibly change
 * tomorrow's digest, weak enough that a paper many people vote for today still beats a weak match.
 */
export const LEARNING_STRENGTH = 2;

/*
 * Worked out once per statement, and only when some reader of the batch has learned terms (the
 * uncorrelated EXISTS is a one-time filter): the window's papers' lexemes that appear in any of
 * the batch's profiles, then one jsonb {paper id: score} per reader with any such lexeme.
 */
export const LEARNED_SCORES_CTES = `
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
)`;
