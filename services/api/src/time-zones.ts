/**
 * IANA zones as Node knows them. Postgres and Node share the IANA database, so a zone valid here
 * is one Postgres can plan with; aliases (e.g. Asia/Calcutta) are accepted too.
 */
export const timeZones: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC'),
];

const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

export function isTimeZone(zone: string): boolean {
  if (!ZONE_SHAPE.test(zone) || /^(GMT|UTC)[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// Building an Intl.DateTimeFormat (twice for a new zone) was the most expensive step of a sign-up;
// the answer for a spelling never changes while the process runs. Only valid zones are kept.
const canonical = new Map<string, string>();

/**
 * The zone as IANA spells it ("europe/berlin" -> "Europe/Berlin"), or null when it is not one.
 * Aliases stay as given (Europe/Kyiv is not turned into the older Europe/Kiev some ICU builds prefer).
 */
export function canonicalTimeZone(zone: string): string | null {
  const known = canonical.get(zone);
  if (known !== undefined) return known;
  if (!isTimeZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  const answer = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
  // Every valid spelling of every zone would still be a small map, but spellings are the caller's
  // to choose: the cache is emptied rather than allowed to grow without bound.
  if (canonical.size >= 5_000) canonical.clear();
  canonical.set(zone, answer);
  return answer;
}
