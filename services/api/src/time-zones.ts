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

/**
 * The zone as IANA spells it ("europe/berlin" -> "Europe/Berlin"), or null when it is not one.
 * Aliases stay as given (Europe/Kyiv is not turned into the older Europe/Kiev some ICU builds prefer).
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!isTimeZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}
