import type { Paper } from '@paperboy/papers';
import type { Pool } from './pool.ts';

export interface UpsertSummary {
  inserted: number;
  updated: number;
  unchanged: number;
}

// Rows per statement: large enough to amortise round trips, small enough to keep one statement quick.
const BATCH = 500;

/** Later records win within one batch; keeps ON CONFLICT from touching a row twice in one statement. */
function lastById(papers: Paper[]): Paper[] {
  return [...new Map(papers.map((paper) => [paper.id, paper])).values()];
}

function toRow(paper: Paper) {
  return {
    id: paper.id,
    arxiv_id: paper.arxivId,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    links: paper.links,
    upvotes: paper.upvotes,
    comments: paper.comments,
    github_stars: paper.githubStars,
    ai_summary: paper.aiSummary,
    ai_keywords: paper.aiKeywords,
    categories: paper.categories,
    published_at: paper.publishedAt,
    trending_date: paper.trendingDate,
    withdrawn: paper.withdrawn,
    sources: paper.sources,
    raw: Object.fromEntries(paper.sources.map((source) => [source, paper.raw])),
  };
}

// One statement per batch. A field a source does not know (null, empty) never erases what another
// source told us; counts always take the newest value; a withdrawal is sticky.
const UPSERT_SQL = `
INSERT INTO papers AS p (id, arxiv_id, title, abstract, authors, links, upvotes, comments, github_stars,
  ai_summary, ai_keywords, categories, published_at, trending_date, withdrawn, sources, raw)
SELECT r.id, r.arxiv_id, r.title, coalesce(r.abstract, ''), coalesce(r.authors, '{}'), coalesce(r.links, '{}'),
  r.upvotes, r.comments, r.github_stars, r.ai_summary, coalesce(r.ai_keywords, '{}'), coalesce(r.categories, '{}'),
  r.published_at, r.trending_date, coalesce(r.withdrawn, false), r.sources, coalesce(r.raw, '{}')
FROM jsonb_to_recordset($1::jsonb) AS r(id text, arxiv_id text, title text, abstract text, authors text[],
  links jsonb, upvotes int, comments int, github_stars int, ai_summary text, ai_keywords text[],
  categories text[], published_at timestamptz, trending_date date, withdrawn boolean, sources text[], raw jsonb)
ON CONFLICT (id) DO UPDATE SET
  title = excluded.title,
  abstract = CASE WHEN excluded.abstract <> '' THEN excluded.abstract ELSE p.abstract END,
  authors = CASE WHEN cardinality(excluded.authors) > 0 THEN excluded.authors ELSE p.authors END,
  links = p.links || excluded.links,
  upvotes = coalesce(excluded.upvotes, p.upvotes),
  comments = coalesce(excluded.comments, p.comments),
  github_stars = coalesce(excluded.github_stars, p.github_stars),
  ai_summary = coalesce(excluded.ai_summary, p.ai_summary),
  ai_keywords = CASE WHEN cardinality(excluded.ai_keywords) > 0 THEN excluded.ai_keywords ELSE p.ai_keywords END,
  categories = ARRAY(SELECT DISTINCT unnest(p.categories || excluded.categories) ORDER BY 1),
  published_at = coalesce(least(p.published_at, excluded.published_at), p.published_at, excluded.published_at),
  trending_date = coalesce(excluded.trending_date, p.trending_date),
  withdrawn = p.withdrawn OR excluded.withdrawn,
  sources = ARRAY(SELECT DISTINCT unnest(p.sources || excluded.sources) ORDER BY 1),
  raw = p.raw || excluded.raw,
  updated_at = now()
WHERE (p.title, p.abstract, p.authors, p.links, p.upvotes, p.comments, p.github_stars, p.ai_summary,
       p.ai_keywords, p.trending_date, p.withdrawn, p.sources, p.categories)
  IS DISTINCT FROM
      (excluded.title, CASE WHEN excluded.abstract <> '' THEN excluded.abstract ELSE p.abstract END,
       CASE WHEN cardinality(excluded.authors) > 0 THEN excluded.authors ELSE p.authors END,
       p.links || excluded.links, coalesce(excluded.upvotes, p.upvotes), coalesce(excluded.comments, p.comments),
       coalesce(excluded.github_stars, p.github_stars), coalesce(excluded.ai_summary, p.ai_summary),
       CASE WHEN cardinality(excluded.ai_keywords) > 0 THEN excluded.ai_keywords ELSE p.ai_keywords END,
       coalesce(excluded.trending_date, p.trending_date), p.withdrawn OR excluded.withdrawn,
       ARRAY(SELECT DISTINCT unnest(p.sources || excluded.sources) ORDER BY 1),
       ARRAY(SELECT DISTINCT unnest(p.categories || excluded.categories) ORDER BY 1))
RETURNING (xmax = 0) AS inserted`;

/** Inserts new papers and updates known ones in batches; re-ingesting the same data changes nothing. */
export async function upsertPapers(pool: Pool, papers: Paper[]): Promise<UpsertSummary> {
  const unique = lastById(papers);
  const summary: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < unique.length; start += BATCH) {
    const batch = unique.slice(start, start + BATCH);
    const result = await pool.query<{ inserted: boolean }>(UPSERT_SQL, [JSON.stringify(batch.map(toRow))]);
    const inserted = result.rows.filter((row) => row.inserted).length;
    summary.inserted += inserted;
    summary.updated += result.rows.length - inserted;
    summary.unchanged += batch.length - result.rows.length;
  }
  return summary;
}

export async function countPapers(pool: Pool): Promise<number> {
  const result = await pool.query<{ count: number }>('SELECT count(*) AS count FROM papers');
  return result.rows[0]?.count ?? 0;
}
