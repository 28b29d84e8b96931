// Building a formatter costs far more than formatting: one per zone, reused for every send.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      // en-CA formats dates as YYYY-MM-DD.
      formatter = new Intl.DateTimeFormat('en-CA', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The calendar date at `instant` in an IANA zone, as YYYY-MM-DD; null for a zone Node does not know. */
export function localDateIn(timezone: string, instant: Date): string | null {
  try {
    return formatterFor(timezone)?.format(instant) ?? null;
  } catch {
    return null;
  }
}

/** Whether a delivery for `localDate` is past its day for a reader in `timezone` at `instant`. */
export function dayHasPassed(localDate: string, timezone: string, instant: Date): boolean {
  const today = localDateIn(timezone, instant);
  return today !== null && today > localDate;
}
