import type { Paper } from '@paperboy/papers';
import type { Pool, PoolClient } from './pool.ts';

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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `raw` is stored keyed by source, so each source's latest record survives the others' updates.
 * An adapter's record comes from exactly one source. A record listing several sources is a merged
 * row read back from an export, whose raw is already keyed: it must not be nested a second time.
 */
export function rawBySource(paper: Pick<Paper, 'sources' | 'raw'>): Record<string, unknown> {
  if (paper.raw === null || paper.raw === undefined) return {};
  const [only] = paper.sources;
  if (paper.sources.length === 1 && only !== undefined) return { [only]: paper.raw };
  if (
    isObject(paper.raw) &&
    Object.keys(paper.raw).every((key) => (paper.sources as readonly string[]).includes(key))
  ) {
    return paper.raw;
  }
  return { [paper.sources.join('+')]: paper.raw };
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
    raw: rawBySource(paper),
  };
}

/*
 * Which source's wording wins when two describe the same paper: Hugging Face pages are curated
 * (authors claim them, fix titles and set the code link), arXiv is the primary record, a file is
 * whatever someone exported, the sample is a bare title and abstract. Without an order the daily
 * Hugging Face and arXiv runs would overwrite each other's title forever, each counting an update.
 */
const sourceRank = (sources: string) =>
  `(CASE WHEN 'huggingface' = ANY(${sources}) THEN 3 WHEN 'arxiv' = ANY(${sources}) THEN 2
     WHEN 'jsonl' = ANY(${sources}) THEN 1 ELSE 0 END)`;
const WINS = `${sourceRank('excluded.sources')} >= ${sourceRank('p.sources')}`;
const union = (column: string) =>
  `ARRAY(SELECT DISTINCT unnest(p.${column} || excluded.${column}) ORDER BY 1)`;

/*
 * How an incoming record merges into the stored row, column by column. One definition feeds both
 * the SET list and the "did anything change" test, so the two can never drift apart.
 * - Descriptive fields follow the source order above, but a gap is always filled.
 * - Counts are live numbers: the newest known value wins; a source without counts keeps ours.
 * - Sources, categories and raw accumulate; a withdrawal is sticky (withdrawn papers are never mailed).
 * - trending_date only moves forward, so backfilling an old day cannot make a paper look stale.
 */
const MERGE: Record<string, string> = {
  arxiv_id: 'coalesce(p.arxiv_id, excluded.arxiv_id)',
  title: `CASE WHEN ${WINS} THEN excluded.title ELSE p.title END`,
  abstract: `CASE WHEN excluded.abstract <> '' AND (${WINS} OR p.abstract = '') THEN excluded.abstract ELSE p.abstract END`,
  authors: `CASE WHEN cardinality(excluded.authors) > 0 AND (${WINS} OR cardinality(p.authors) = 0)
    THEN excluded.authors ELSE p.authors END`,
  links: `CASE WHEN ${WINS} THEN p.links || excluded.links ELSE excluded.links || p.links END`,
  upvotes: 'coalesce(excluded.upvotes, p.upvotes)',
  comments: 'coalesce(excluded.comments, p.comments)',
  github_stars: 'coalesce(excluded.github_stars, p.github_stars)',
  ai_summary: 'coalesce(excluded.ai_summary, p.ai_summary)',
  ai_keywords:
    'CASE WHEN cardinality(excluded.ai_keywords) > 0 THEN excluded.ai_keywords ELSE p.ai_keywords END',
  categories: union('categories'),
  published_at: 'least(p.published_at, excluded.published_at)',
  trending_date: 'greatest(p.trending_date, excluded.trending_date)',
  withdrawn: 'p.withdrawn OR excluded.withdrawn',
  sources: union('sources'),
  raw: 'p.raw || excluded.raw',
};
const MERGED_COLUMNS = Object.keys(MERGE);

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
  ${MERGED_COLUMNS.map((column) => `${column} = ${MERGE[column]}`).join(',\n  ')},
  updated_at = now()
WHERE (${MERGED_COLUMNS.map((column) => `p.${column}`).join(', ')})
  IS DISTINCT FROM (${MERGED_COLUMNS.map((column) => MERGE[column]).join(', ')})
RETURNING (xmax = 0) AS inserted`;

/**
 * Inserts new papers and merges known ones in batches; re-ingesting the same data changes nothing
 * and counts as unchanged. ON CONFLICT locks the stored row, so two workers ingesting the same
 * paper from two sources at once both land in it.
 */
export async function upsertPapers(db: Pool | PoolClient, papers: Paper[]): Promise<UpsertSummary> {
  const unique = lastById(papers);
  const summary: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < unique.length; start += BATCH) {
    const batch = unique.slice(start, start + BATCH);
    const result = await db.query<{ inserted: boolean }>(UPSERT_SQL, [JSON.stringify(batch.map(toRow))]);
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
