import type { PreferenceChange } from '@paperboy/db';
import { canonicalTimeZone } from './time-zones.ts';

export const LIMITS = {
  topics: 20,
  topicLength: 80,
  minPapers: 3,
  maxPapers: 25,
  maxPauseDays: 90,
} as const;

/** A field a reader got wrong, in words for the page or the JSON message. */
export interface FieldProblem {
  field: keyof PreferenceChange;
  message: string;
}

/** Trimmed, inner whitespace collapsed, de-duplicated case-insensitively, in the order given. */
export function cleanTopics(topics: string[]): string[] {
  const seen = new Map<string, string>();
  for (const topic of topics) {
    const cleaned = topic.replace(/\s+/g, ' ').trim();
    if (cleaned && !seen.has(cleaned.toLowerCase())) seen.set(cleaned.toLowerCase(), cleaned);
  }
  return [...seen.values()];
}

/**
 * Checks what a schema cannot: real IANA zones, and topic limits after cleaning. Returns the
 * change with topics cleaned, or the problems found.
 */
export function checkPreferences(
  change: PreferenceChange,
): { ok: true; change: PreferenceChange } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const cleaned: PreferenceChange = { ...change };
  if (change.topics !== undefined) {
    cleaned.topics = cleanTopics(change.topics);
    if (cleaned.topics.length > LIMITS.topics)
      problems.push({ field: 'topics', message: `at most ${LIMITS.topics} topics, please` });
    const long = cleaned.topics.find((topic) => topic.length > LIMITS.topicLength);
    if (long !== undefined)
      problems.push({
        field: 'topics',
        message: `each topic must be at most ${LIMITS.topicLength} characters`,
      });
  }
  if (change.timezone !== undefined) {
    const zone = canonicalTimeZone(change.timezone);
    if (zone) cleaned.timezone = zone;
    else
      problems.push({
        field: 'timezone',
        message: `"${change.timezone.slice(0, 64)}" is not an IANA time zone like Europe/Berlin`,
      });
  }
  const ranges = [
    ['sendHour', 0, 23],
    ['paperCount', LIMITS.minPapers, LIMITS.maxPapers],
    ['pauseDays', 0, LIMITS.maxPauseDays],
    ['weekday', 1, 7],
  ] as const;
  for (const [field, min, max] of ranges) {
    const value = change[field];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
      problems.push({ field, message: `must be a whole number from ${min} to ${max}` });
  }
  if (change.cadence !== undefined && change.cadence !== 'daily' && change.cadence !== 'weekly')
    problems.push({ field: 'cadence', message: 'must be daily or weekly' });
  if (change.cadence === 'weekly' && change.weekday === undefined)
    problems.push({ field: 'weekday', message: 'is required for a weekly digest (1 = Monday … 7 = Sunday)' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, change: cleaned };
}
