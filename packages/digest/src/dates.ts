const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "Sunday, 29 November 2026" for "2026-11-29". Spelled out by hand because Intl's en-GB output
 * (comma or not) differs between ICU versions, which would change mails and edition snapshots.
 */
export function formatEditionDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (match === null || date === null || date.toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`Edition date must be a real YYYY-MM-DD date, got "${isoDate}"`);
  }
  return `${WEEKDAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
