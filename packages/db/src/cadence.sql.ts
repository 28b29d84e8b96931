/*
 * When a reader's digest is due, as SQL over a reader row and their local wall-clock time.
 * Kept apart from the plan statement (deliveries.repository.ts) so the rule reads in one place.
 *
 * - daily:  once the local hour has reached send_hour, on any day.
 * - weekly: the same, but only on the reader's ISO weekday (1 = Monday … 7 = Sunday) in their
 *   own time zone. Once per local ISO week is not this condition's job: the unique index
 *   deliveries_one_weekly_per_week (migration 075) holds it, so a reader who moves their weekday
 *   later into a week that already had its digest waits for next week.
 * - `ignoreSendHour` (`paperboy digest run-now`) plans everyone now: hour and weekday ignored,
 *   still at most one digest per local day and one weekly digest per local week.
 *
 * A local hour that does not exist (the spring-forward gap) is passed by the clock, so the digest
 * goes at the first planner run after it: `>=`, not `=`. A local hour that happens twice (fall back)
 * plans on the first; the second finds the day's row and does nothing.
 */
export function readerIsDueSql(reader: string, localTime: string, ignoreSendHour: string): string {
  return `(${ignoreSendHour} OR (
    extract(hour FROM ${localTime}) >= ${reader}.send_hour
    AND (${reader}.cadence = 'daily' OR extract(isodow FROM ${localTime}) = ${reader}.weekday)
  ))`;
}
