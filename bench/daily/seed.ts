import type { Pool } from '@paperboy/db';
import { seededRandom } from '@paperboy/testing';

/**
 * Twenty zones from UTC−10 to UTC+10, none of which is near midnight while the services' clock
 * reads 12:00 UTC (CLOCK_START): a run never sees a reader's local day end under it.
 */
export const BENCH_ZONES = [
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Atlantic/Azores',
  'UTC',
  'Europe/Berlin',
  'Europe/Athens',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Brisbane',
] as const;

/** Words and phrases that occur in the bundled sample's titles and abstracts. */
export const BENCH_TOPICS = [
  'language models',
  'diffusion',
  'vision',
  'transformer',
  'benchmark',
  'video',
  'medical',
  'image generation',
  'quantization',
  'attention',
  'segmentation',
  'robustness',
  'contrastive',
  'graph',
  'alignment',
  'knowledge distillation',
  'time series',
  'federated',
] as const;

/**
 * Hour 23 everywhere: at 12:00 UTC no zone above has reached it, so the worker's own scheduled
 * plan (which runs when it starts) finds nobody due and only the bench's run-now plans.
 */
export const BENCH_SEND_HOUR = 23;

export interface ReaderMix {
  /** Index into BENCH_ZONES per reader. */
  zones: number[];
  /** Postgres array literals, e.g. {"diffusion","vision"}. */
  topics: string[];
  paperCounts: number[];
}

/** The issue's mix: 20 zones, 0–3 distinct topics from the sample's vocabulary, 5–15 papers. */
export function readerMix(count: number, seed = 10): ReaderMix {
  const pick = seededRandom(seed).int;
  const mix: ReaderMix = { zones: [], topics: [], paperCounts: [] };
  for (let index = 0; index < count; index += 1) {
    mix.zones.push(pick(BENCH_ZONES.length));
    const chosen = new Set<string>();
    const wanted = pick(4);
    while (chosen.size < wanted) chosen.add(BENCH_TOPICS[pick(BENCH_TOPICS.length)]!);
    mix.topics.push(`{${[...chosen].map((topic) => `"${topic}"`).join(',')}}`);
    mix.paperCounts.push(5 + pick(11));
  }
  return mix;
}

const CHUNK = 100_000;

/**
 * Active, confirmed readers reader-<n>@bench.example, one INSERT … SELECT FROM unnest per 100,000
 * (a million readers' arrays in one statement would be a ~100 MB parameter). The address hash is
 * computed in SQL the way emailHash does it (sha256 of the lower-cased address).
 */
export async function seedReaders(pool: Pool, count: number, seed = 10): Promise<void> {
  const mix = readerMix(count, seed);
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    await pool.query(
      `INSERT INTO subscribers (email, email_hash, status, topics, timezone, send_hour, paper_count, confirmed_at)
       SELECT email, encode(sha256(convert_to(lower(email), 'UTF8')), 'hex'), 'active', topics::text[],
              ($5::text[])[zone + 1], $6, paper_count, now()
       FROM unnest($1::int[], $2::text[], $3::int[]) WITH ORDINALITY AS t(zone, topics, paper_count, n)
       CROSS JOIN LATERAL (SELECT 'reader-' || ($4::int + n) || '@bench.example' AS email) AS address`,
      [
        mix.zones.slice(start, end),
        mix.topics.slice(start, end),
        mix.paperCounts.slice(start, end),
        start,
        BENCH_ZONES,
        BENCH_SEND_HOUR,
      ],
    );
  }
}
