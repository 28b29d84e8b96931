/** How the night-shift commands print: aligned columns for a person, one JSON document for a script. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(columns: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = columns.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `${cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(line(columns));
  for (const row of rows) process.stdout.write(line(row));
}

/** A timestamp as operators read them in logs: UTC, to the second. */
export function utc(value: Date | null): string {
  return value ? value.toISOString().slice(0, 19).replace('T', ' ') : '-';
}

/** A CLI usage mistake: exit code 2 and the usage of that command, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
