import { LEARNING_STRENGTH } from './reader-profile.sql.ts';

/*
 * Each reader's digest, ranked in the worker from what the selection statement reads once per
 * batch (paper-selection.repository.ts). The order is the one documented in paper-ranking.sql.ts:
 *
 * 1. A reader may get a window paper dated after their own window's start and not sent to them.
 * 2. Each topic ranks its matches (ts_rank rounded to one decimal, then the ranking score, the
 *    exact rank, upvotes, id). Topics take turns: a paper's best place among the reader's topics
 *    comes first, then the sum of its ranks, so a paper matching several topics ranks above
 *    single matches at its place.
 * 3. Papers matching none of the reader's topics fill the rest in trending order.
 * 4. A reader's learned scores scale each paper's trending score (reader-profile.sql.ts) wherever
 *    papers are ordered; without them the ranking score is the trending score itself.
 *
 * Postgres ranked per reader until this moved here: that per-reader part was most of the
 * statement's time (0.3–0.7 ms per reader in Postgres's executor), and Postgres is the one part of
 * the daily path that does not scale out with workers.
 */

export interface WindowPaper {
  id: string;
  /** Upvotes, unknown counted as 0 (the order's tie-break). */
  upvotes: number;
  trendingScore: number;
  /** YYYY-MM-DD. */
  paperDate: string;
}

export interface TopicHit {
  paper: WindowPaper;
  /** ts_rank as Postgres computed it (a float4, widened exactly). */
  rank: number;
  /** ts_rank rounded to one decimal, as Postgres rounds it. */
  roundedRank: number;
}

export interface RankingInputs {
  /** The window's papers in trending order. */
  papers: WindowPaper[];
  /** Every topic of the batch with its matches, in the topic order by trending score. */
  hitsByTopic: Map<string, TopicHit[]>;
}

export interface RankedReader {
  topics: readonly string[];
  /** YYYY-MM-DD: the reader's day. */
  localDate: string;
  lookbackDays: number;
  limit: number;
  /** Paper ids the reader was already sent (only those that could be in the window matter). */
  sent: ReadonlySet<string>;
  /** Learned scores by paper id, in (-1, 1); undefined for a reader with nothing learned. */
  learned: Readonly<Record<string, number>> | undefined;
}

export interface RankedPaper {
  id: string;
  matchedTopics: string[];
  trendingScore: number;
}

const byId = (a: WindowPaper, b: WindowPaper) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The general trending order, over ranking scores. */
function compareTrending(a: WindowPaper, aScore: number, b: WindowPaper, bScore: number): number {
  return bScore - aScore || b.upvotes - a.upvotes || byId(a, b);
}

/** The order of one topic's matches, over ranking scores. */
function compareTopicHits(a: TopicHit, aScore: number, b: TopicHit, bScore: number): number {
  return (
    b.roundedRank - a.roundedRank ||
    bScore - aScore ||
    b.rank - a.rank ||
    b.paper.upvotes - a.paper.upvotes ||
    byId(a.paper, b.paper)
  );
}

/** Sorts the batch's inputs once: readers without learned scores then only filter. */
export function orderRankingInputs(
  papers: WindowPaper[],
  hits: { topic: string; hit: TopicHit }[],
): RankingInputs {
  papers.sort((a, b) => compareTrending(a, a.trendingScore, b, b.trendingScore));
  const hitsByTopic = new Map<string, TopicHit[]>();
  for (const { topic, hit } of hits) {
    const list = hitsByTopic.get(topic);
    if (list === undefined) hitsByTopic.set(topic, [hit]);
    else list.push(hit);
  }
  for (const list of hitsByTopic.values())
    list.sort((a, b) => compareTopicHits(a, a.paper.trendingScore, b, b.paper.trendingScore));
  return { papers, hitsByTopic };
}

/** YYYY-MM-DD minus whole days. */
function daysBefore(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() - days);
  return at.toISOString().slice(0, 10);
}

/** float4 addition, as Postgres's sum() over ts_rank adds. */
const addFloat4 = (a: number, b: number) => Math.fround(a + b);

interface Match {
  paper: WindowPaper;
  bestPlace: number;
  matchScore: number;
  topics: string[];
}

/** One reader's picks, best first. */
export function rankForReader(inputs: RankingInputs, reader: RankedReader): RankedPaper[] {
  const windowStart = daysBefore(reader.localDate, reader.lookbackDays);
  const mayGet = (paper: WindowPaper) => paper.paperDate > windowStart && !reader.sent.has(paper.id);
  const learned = reader.learned;
  const rankingScore =
    learned === undefined
      ? (paper: WindowPaper) => paper.trendingScore
      : (paper: WindowPaper) => paper.trendingScore * Math.exp(LEARNING_STRENGTH * (learned[paper.id] ?? 0));
  const limit = reader.limit;

  // Each topic numbers the matches the reader may get. Only a paper placed within the limit in
  // some topic can make the cut (a topic with `limit` matches fills it with such papers alone),
  // but its score and topics count every topic it matches.
  const matches = new Map<string, Match>();
  const eligibleByTopic: [string, TopicHit[]][] = [];
  for (const topic of new Set(reader.topics)) {
    const hits = inputs.hitsByTopic.get(topic);
    if (hits === undefined) continue;
    let eligible = hits.filter((hit) => mayGet(hit.paper));
    if (learned !== undefined) {
      const scored = eligible.map((hit) => ({ hit, score: rankingScore(hit.paper) }));
      scored.sort((a, b) => compareTopicHits(a.hit, a.score, b.hit, b.score));
      eligible = scored.map(({ hit }) => hit);
    }
    eligibleByTopic.push([topic, eligible]);
    for (let place = 1; place <= Math.min(limit, eligible.length); place++) {
      const hit = eligible[place - 1]!;
      const match = matches.get(hit.paper.id);
      if (match === undefined)
        matches.set(hit.paper.id, { paper: hit.paper, bestPlace: place, matchScore: 0, topics: [] });
      else if (place < match.bestPlace) match.bestPlace = place;
    }
  }
  for (const [topic, eligible] of eligibleByTopic) {
    for (const hit of eligible) {
      const match = matches.get(hit.paper.id);
      if (match === undefined) continue;
      match.matchScore = addFloat4(match.matchScore, hit.rank);
      match.topics.push(topic);
    }
  }

  const ranked = [...matches.values()]
    .map((match) => ({ match, score: rankingScore(match.paper) }))
    .sort(
      (a, b) =>
        a.match.bestPlace - b.match.bestPlace ||
        b.match.matchScore - a.match.matchScore ||
        compareTrending(a.match.paper, a.score, b.match.paper, b.score),
    )
    .slice(0, limit)
    .map(({ match }) => ({
      id: match.paper.id,
      matchedTopics: match.topics.sort(),
      trendingScore: match.paper.trendingScore,
    }));
  if (ranked.length === limit) return ranked;

  // Fewer matches than the limit: every match is in, the rest is the trending order's.
  let fill = inputs.papers;
  if (learned !== undefined) {
    const scored = fill.map((paper) => ({ paper, score: rankingScore(paper) }));
    scored.sort((a, b) => compareTrending(a.paper, a.score, b.paper, b.score));
    fill = scored.map(({ paper }) => paper);
  }
  for (const paper of fill) {
    if (ranked.length === limit) break;
    if (!mayGet(paper) || matches.has(paper.id)) continue;
    ranked.push({ id: paper.id, matchedTopics: [], trendingScore: paper.trendingScore });
  }
  return ranked;
}
