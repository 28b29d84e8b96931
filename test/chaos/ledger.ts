import type { OwnDatabase } from './infra/own-database.ts';

export interface Ledger {
  /** Delivery rows by status, all local dates. */
  byStatus: Record<string, number>;
  /**
   * Sum of the ledger's resent-after-crash counter, or null when the deliveries table has no such
   * column (main before issue 8). Found by name, so the suite does not pin the migration's spelling.
   */
  resentAfterCrash: number | null;
}

async function resentColumn(database: OwnDatabase): Promise<string | null> {
  const rows = await database.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_name = 'deliveries' AND column_name LIKE '%resen%' ORDER BY column_name`,
  );
  return rows[0]?.column_name ?? null;
}

export async function readLedger(database: OwnDatabase): Promise<Ledger> {
  const rows = await database.query<{ status: string; count: number }>(
    'SELECT status, count(*)::int AS count FROM deliveries GROUP BY status ORDER BY status',
  );
  const column = await resentColumn(database);
  let resentAfterCrash: number | null = null;
  if (column) {
    const [row] = await database.query<{ total: number }>(
      `SELECT coalesce(sum(${JSON.stringify(column)}::int), 0)::int AS total FROM deliveries`,
    );
    resentAfterCrash = row?.total ?? 0;
  }
  return { byStatus: Object.fromEntries(rows.map((row) => [row.status, row.count])), resentAfterCrash };
}

/** Status of each reader's delivery for the dates given (or all), keyed by email. */
export async function deliveryStatusByEmail(
  database: OwnDatabase,
  emails: string[],
): Promise<Map<string, string[]>> {
  const rows = await database.query<{ email: string; status: string }>(
    `SELECT s.email, d.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
     WHERE s.email = ANY($1::text[]) ORDER BY d.local_date`,
    [emails],
  );
  const byEmail = new Map<string, string[]>();
  for (const row of rows) byEmail.set(row.email, [...(byEmail.get(row.email) ?? []), row.status]);
  return byEmail;
}
