/*
 * How papers are ordered for a topic, in SQL for GET /v1/papers?q= and the feeds. A reader's
 * digest orders the same way in TypeScript (reader-ranking.ts), so that what the API shows is what
 * a reader with that one topic would get (paper-ranking.test.ts compares the two).
 *
 * - Match quality first: ts_rank over the weighted search column (title A, keywords B, abstract C;
 *   Postgres weights 1.0 / 0.4 / 0.2). It is rounded to one decimal because smaller differences
 *   are accidents of wording and length, not relevance: a title match (~1.0) always beats an
 *   abstract-only mention (~0.1–0.5), but two title matches are equally good.
 * - Among equally good matches, the more trending paper (packages/papers/src/score.ts) wins.
 * - Then the exact rank, then upvotes, then id, so the order is the same on every run.
 * Without a topic the order is simply the trending score, then upvotes, then id, exactly as
 * rankByTrending orders papers in TypeScript.
 */

/** ORDER BY terms for matches of one topic. */
export function topicMatchOrder(rank: string, trendingScore: string, upvotes: string, id: string): string {
  return `round((${rank})::numeric, 1) DESC, ${trendingScore} DESC, ${rank} DESC, coalesce(${upvotes}, 0) DESC, ${id}`;
}

/** ORDER BY terms for the general trending order. */
export function trendingOrder(trendingScore: string, upvotes: string, id: string): string {
  return `${trendingScore} DESC, coalesce(${upvotes}, 0) DESC, ${id}`;
}
