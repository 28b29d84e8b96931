import { type PaperLinks, type PaperSource, trendingScoreSql } from '@paperboy/papers';
import { topicMatchOrder, trendingOrder } from './paper-ranking.sql.ts';
import type { Pool, PoolClient } from './pool.ts';

export interface ListedPaper {
  id: string;
  arxivId: string | null;
  title: string;
  authors: string[];
  abstract: string;
  aiSummary: string | null;
  aiKeywords: string[];
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  publishedAt: string | null;
  trendingDate: string | null;
  sources: PaperSource[];
  trendingScore: number;
  /** ts_rank of the paper against the query; null when there was no query. */
  topicRank: number | null;
}

export interface PaperListQuery {
  /** Only papers that trended on this UTC day (YYYY-MM-DD). */
  date: string | null;
  /** A topic, as a reader would write it; only matching papers are listed, best first. */
  q: string | null;
  limit: number;
  /** The moment scores are computed for. */
  now: Date;
}

const COLUMNS = `id, arxiv_id, title, authors, abstract, ai_summary, ai_keywords, links, upvotes, comments,
  github_stars, published_at, trending_date, sources`;

// Withdrawn papers are left out everywhere: they are never mailed, so listing them would mislead.
const LIST_MATCHES_SQL = `
WITH scored AS (
  SELECT p.*, ${trendingScoreSql('$4')} AS trending_score, ts_rank(p.search, topic.query) AS topic_rank
  FROM papers p, (SELECT paperboy_topic_query($2) AS query) AS topic
  WHERE NOT p.withdrawn AND ($1::date IS NULL OR p.trending_date = $1::date) AND p.search @@ topic.query
)
SELECT ${COLUMNS}, trending_score, topic_rank FROM scored
ORDER BY ${topicMatchOrder('topic_rank', 'trending_score', 'upvotes', 'id')}
LIMIT $3`;

const LIST_TRENDING_SQL = `
WITH scored AS (
  SELECT p.*, ${trendingScoreSql('$3')} AS trending_score
  FROM papers p
  WHERE NOT p.withdrawn AND ($1::date IS NULL OR p.trending_date = $1::date)
)
SELECT ${COLUMNS}, trending_score, NULL::real AS topic_rank FROM scored
ORDER BY ${trendingOrder('trending_score', 'upvotes', 'id')}
LIMIT $2`;

interface ListedRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  authors: string[];
  abstract: string;
  ai_summary: string | null;
  ai_keywords: string[];
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  github_stars: number | null;
  published_at: Date | null;
  trending_date: string | null;
  sources: PaperSource[];
  trending_score: number;
  topic_rank: number | null;
}

/** Papers with their scores, best first: by topic match when `q` is given, else by trending score. */
export async function listPapers(db: Pool | PoolClient, query: PaperListQuery): Promise<ListedPaper[]> {
  const now = query.now.toISOString();
  const result =
    query.q === null
      ? await db.query<ListedRow>(LIST_TRENDING_SQL, [query.date, query.limit, now])
      : await db.query<ListedRow>(LIST_MATCHES_SQL, [query.date, query.q, query.limit, now]);
  return result.rows.map((row) => ({
    id: row.id,
    arxivId: row.arxiv_id,
    title: row.title,
    authors: row.authors,
    abstract: row.abstract,
    aiSummary: row.ai_summary,
    aiKeywords: row.ai_keywords,
    links: row.links,
    upvotes: row.upvotes,
    comments: row.comments,
    githubStars: row.github_stars,
    publishedAt: row.published_at === null ? null : row.published_at.toISOString(),
    trendingDate: row.trending_date,
    sources: row.sources,
    trendingScore: Number(row.trending_score),
    topicRank: row.topic_rank === null ? null : Number(row.topic_rank),
  }));
}
