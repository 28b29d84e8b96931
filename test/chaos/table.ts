import type { Row } from './verdict.ts';

const HEADERS = ['scenario', 'delivered/expected', 'dup (same id)', 'missing', 'resent', 'ledger', 'result'];

function cells(row: Row): string[] {
  const ledger = Object.entries(row.ledger)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  return [
    row.scenario,
    `${row.delivered}/${row.expected}`,
    `${row.duplicates} (${row.sameIdDuplicates})`,
    String(row.missing),
    row.resentAfterCrash === null ? 'n/a' : String(row.resentAfterCrash),
    ledger || '(empty)',
    row.failures.length === 0 ? 'PASS' : 'FAIL',
  ];
}

/** The run's table in Markdown, so it can go straight into a report; failures listed under it. */
export function formatTable(rows: Row[], readers: number): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...body.map((line) => line[column]!.length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  const lines = [
    `chaos suite, ${readers} readers`,
    line(HEADERS),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...body.map(line),
  ];
  for (const row of rows) {
    for (const failure of row.failures) lines.push(`  ${row.scenario}: ${failure}`);
  }
  return lines.join('\n');
}

/** One line per scenario as soon as it ends, so a long run shows where it is. */
export function formatRowNow(row: Row): string {
  return `${row.failures.length === 0 ? 'PASS' : 'FAIL'} ${cells(row).slice(0, -1).join(' · ')}`;
}
