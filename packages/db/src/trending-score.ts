/**
 * The trending score as SQL over a `papers` row aliased `p`, with `$6` the current time.
 * Hacker-News-style gravity: votes count, age drags. The +1 keeps papers without upvotes (the
 * bundled sample) ordered by freshness alone instead of all scoring zero.
 */
export const TRENDING_SCORE_SQL = `((coalesce(p.upvotes, 0) + 1)::float8 /
  power(greatest(extract(epoch FROM ($6::timestamptz - coalesce(p.trending_date::timestamptz, p.published_at, p.first_seen_at))) / 3600, 0) + 2, 1.5))`;
