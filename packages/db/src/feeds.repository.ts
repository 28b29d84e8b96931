import { type PaperLinks, trendingScoreSql } from '@paperboy/papers';
import { trendingOrder } from './paper-ranking.sql.ts';
import type { Pool, PoolClient } from './pool.ts';

/** What a feed shows of a paper. */
export interface FeedPaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  aiSummary: string | null;
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
}

/** One of a day's top papers, for the public daily feeds. */
export interface DailyPaper extends FeedPaper {
  /** The UTC day the paper trended (or, with no trending date, was first seen), YYYY-MM-DD. */
  day: string;
  /** 1 = the day's top paper. */
  rank: number;
  /** When the store last changed the paper (new counts, a second source). */
  updatedAt: Date;
}

// A paper's day: the day Hugging Face listed it, else the day paperboy first saw it (arXiv, files).
const PAPER_DAY = `coalesce(p.trending_date, (p.first_seen_at AT TIME ZONE 'UTC')::date)`;
// Within a day, papers are ranked as a digest would have ranked them at that day's end, so a
// day's order is settled once the day is over and does not drift with the clock.
const DAY_END = `((${PAPER_DAY} + 1)::timestamp AT TIME ZONE 'UTC')`;

const DAILY_TOP_SQL = `
WITH recent AS (
  SELECT p.id, p.title, p.authors, p.abstract, p.ai_summary, p.links, p.upvotes, p.comments, p.updated_at,
    ${PAPER_DAY} AS day,
    row_number() OVER (PARTITION BY ${PAPER_DAY}
      ORDER BY ${trendingOrder(trendingScoreSql(DAY_END), 'p.upvotes', 'p.id')}) AS rank
  FROM papers p
  WHERE NOT p.withdrawn AND ${PAPER_DAY} > ($1::timestamptz AT TIME ZONE 'UTC')::date - $2::int
    AND ${PAPER_DAY} <= ($1::timestamptz AT TIME ZONE 'UTC')::date
)
SELECT id, title, authors, abstract, ai_summary AS "aiSummary", links, upvotes, comments,
  updated_at AS "updatedAt", day, rank::int AS rank
FROM recent WHERE rank <= $3
ORDER BY day DESC, rank`;

/** The top `perDay` papers of each of the last `days` UTC days up to `now`, newest day first. */
export async function dailyTopPapers(
  db: Pool | PoolClient,
  options: { now: Date; days: number; perDay: number },
): Promise<DailyPaper[]> {
  const result = await db.query<DailyPaper>(DAILY_TOP_SQL, [
    options.now.toISOString(),
    options.days,
    options.perDay,
  ]);
  return result.rows;
}

/** The reader a feed token names, with both versions the token is signed against. */
export interface FeedLinkReader {
  id: string;
  tokenVersion: number;
  feedLinkVersion: number;
}

export async function findFeedLinkReader(db: Pool | PoolClient, id: string): Promise<FeedLinkReader | null> {
  const result = await db.query<FeedLinkReader>(
    `SELECT id, token_version AS "tokenVersion", feed_link_version AS "feedLinkVersion"
     FROM subscribers WHERE id = $1`,
    [id],
  );
  return result.rows[0] ?? null;
}

/**
 * "New feed link": the old feed link stops working, every other link keeps working. Null when
 * the manage link used has been revoked meanwhile.
 */
export async function renewFeedLink(
  db: Pool | PoolClient,
  id: string,
  tokenVersion: number,
): Promise<FeedLinkReader | null> {
  const result = await db.query<FeedLinkReader>(
    `UPDATE subscribers SET feed_link_version = feed_link_version + 1, updated_at = now()
     WHERE id = $1 AND token_version = $2
     RETURNING id, token_version AS "tokenVersion", feed_link_version AS "feedLinkVersion"`,
    [id, tokenVersion],
  );
  return result.rows[0] ?? null;
}

/** One digest a reader was sent, as their personal feed lists it. */
export interface ReaderFeedEntry {
  deliveryId: string;
  editionId: string;
  subject: string;
  localDate: string;
  sentAt: Date;
  papers: FeedPaper[];
}

const READER_FEED_SQL = `
SELECT d.id AS "deliveryId", d.edition_id AS "editionId", e.subject, d.local_date AS "localDate",
  d.sent_at AS "sentAt",
  coalesce((
    SELECT json_agg(json_build_object('id', p.id, 'title', p.title, 'authors', p.authors,
      'abstract', p.abstract, 'aiSummary', p.ai_summary, 'links', p.links, 'upvotes', p.upvotes, 'comments', p.comments)
      ORDER BY dp.position)
    FROM delivery_papers dp JOIN papers p ON p.id = dp.paper_id
    WHERE dp.delivery_id = d.id
  ), '[]'::json) AS papers
FROM deliveries d JOIN digest_editions e ON e.id = d.edition_id
WHERE d.subscriber_id = $1 AND d.status = 'sent' AND d.sent_at IS NOT NULL
ORDER BY d.sent_at DESC, d.id
LIMIT $2`;

/** The reader's sent digests, newest first: only what really reached them. */
export async function readerFeedEntries(
  db: Pool | PoolClient,
  subscriberId: string,
  limit: number,
): Promise<ReaderFeedEntry[]> {
  const result = await db.query<ReaderFeedEntry>(READER_FEED_SQL, [subscriberId, limit]);
  return result.rows;
}
