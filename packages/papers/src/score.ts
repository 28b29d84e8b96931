import type { Paper } from './paper.ts';

/*
 * Trending score, Hacker News style:   score = points / (ageHours + 2) ^ 1.5
 *
 *   points   = 1 + upvotes + 0.5 * comments + ln(1 + githubStars)       (unknown counts as 0)
 *   ageHours = hours from the paper's listing to `now`, never negative:
 *              trendingDate at 00:00 UTC when known (the day Hugging Face listed it, which is
 *              what "trending" is about), else publishedAt, else 72 h.
 *
 * Why this shape:
 * - The leading 1 keeps papers without any votes (arXiv listings, the bundled sample) ranked by
 *   recency instead of all scoring 0; one upvote still doubles a fresh paper's points.
 * - Comments count half: they are sparse and include the authors' own replies.
 * - Stars are logarithmic: a famous repository that predates the paper would otherwise swamp
 *   the votes, which are the community's verdict on the paper itself.
 * - Gravity 1.5 (HN uses 1.8) because digests go out daily: a paper should fade over two or
 *   three days, not within hours. The +2 h keeps brand-new papers from dividing by ~0.
 * - Undated papers count as three days old, so the sample can fill a digest but never
 *   outranks a fresh paper with votes; among themselves they tie and rankByTrending orders them by id.
 *
 * The SQL below is built from the same constants so that the database ranks identically; a test
 * evaluates both on the same rows.
 */
export const TRENDING_GRAVITY = 1.5;
export const TRENDING_AGE_OFFSET_HOURS = 2;
export const TRENDING_COMMENT_WEIGHT = 0.5;
export const TRENDING_UNDATED_AGE_HOURS = 72;

export interface TrendingInputs {
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  /** ISO timestamp or Date. */
  publishedAt: string | Date | null;
  /** YYYY-MM-DD, a UTC day. */
  trendingDate: string | null;
}

const HOUR_MS = 3_600_000;

function count(value: number | null): number {
  return value === null || !Number.isFinite(value) ? 0 : Math.max(0, value);
}

function ageHours(inputs: TrendingInputs, now: Date): number {
  let anchorMs = Number.NaN;
  if (inputs.trendingDate !== null) anchorMs = Date.parse(`${inputs.trendingDate}T00:00:00Z`);
  if (Number.isNaN(anchorMs) && inputs.publishedAt !== null)
    anchorMs = new Date(inputs.publishedAt).getTime();
  const hours = Number.isNaN(anchorMs) ? TRENDING_UNDATED_AGE_HOURS : (now.getTime() - anchorMs) / HOUR_MS;
  return Math.max(0, hours);
}

export function trendingScore(inputs: TrendingInputs, now: Date): number {
  const points =
    1 +
    count(inputs.upvotes) +
    TRENDING_COMMENT_WEIGHT * count(inputs.comments) +
    Math.log(1 + count(inputs.githubStars));
  return points / (ageHours(inputs, now) + TRENDING_AGE_OFFSET_HOURS) ** TRENDING_GRAVITY;
}

/**
 * The same formula for Postgres, over columns `upvotes`, `comments`, `github_stars` (integers),
 * `published_at timestamptz` and `trending_date date`. `nowParam` is the placeholder bound to
 * "now" as a timestamptz. Note GREATEST ignores NULLs in Postgres, hence the COALESCE inside.
 */
export function trendingScoreSql(nowParam: string): string {
  const count = (column: string) => `GREATEST(COALESCE(${column}, 0), 0)::double precision`;
  const anchor = `COALESCE(trending_date::timestamp AT TIME ZONE 'UTC', published_at)`;
  const age = `GREATEST(0, COALESCE(EXTRACT(EPOCH FROM (${nowParam}::timestamptz - ${anchor}))::double precision / 3600, ${TRENDING_UNDATED_AGE_HOURS}))`;
  return (
    `((1 + ${count('upvotes')} + ${TRENDING_COMMENT_WEIGHT} * ${count('comments')} + LN(1 + ${count('github_stars')}))` +
    ` / POWER(${age} + ${TRENDING_AGE_OFFSET_HOURS}, ${TRENDING_GRAVITY}))`
  );
}

/** `ORDER BY <this> DESC` with "now" bound to `$1` (timestamptz). */
export const TRENDING_SCORE_SQL = trendingScoreSql('$1');

/**
 * Highest score first; ties (e.g. the undated sample) fall back to upvotes, then id, so the
 * order is the same on every run and every machine.
 */
export function rankByTrending<T extends Pick<Paper, 'id'> & TrendingInputs>(
  papers: readonly T[],
  now: Date,
): T[] {
  return papers
    .map((paper) => ({ paper, score: trendingScore(paper, now) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        count(b.paper.upvotes) - count(a.paper.upvotes) ||
        (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0),
    )
    .map(({ paper }) => paper);
}
