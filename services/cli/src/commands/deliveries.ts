import { reportDeliveriesOn } from '@paperboy/db';
import { checkServices, configOrExit, openStore } from './context.ts';
import { printJson, printTable, UsageError, utc } from './output.ts';
import { parseLimit } from './subscribers.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return DATE.test(value) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/**
 * `paperboy deliveries --date D`: the ledger of one local date (a reader's own calendar day) by
 * status, and the deliveries that need a person: uncertain outcome or failed.
 */
export async function deliveriesCommand(options: {
  json: boolean;
  date?: string;
  limit?: string;
}): Promise<number> {
  const localDate = options.date ?? new Date().toISOString().slice(0, 10);
  if (!isRealDate(localDate)) throw new UsageError('--date must be a calendar date, YYYY-MM-DD');
  const limit = parseLimit(options.limit, 100);
  const config = configOrExit();
  await checkServices(config, false);
  const pool = await openStore(config);
  try {
    const report = await reportDeliveriesOn(pool, localDate, limit);
    if (options.json) {
      printJson(report);
      return 0;
    }
    if (report.total === 0) {
      process.stdout.write(`no deliveries for ${localDate}\n`);
      return 0;
    }
    const statuses = Object.entries(report.byStatus);
    process.stdout.write(
      `${localDate}: ${report.total} deliveries; ${statuses.map(([status, count]) => `${status} ${count}`).join(', ')}\n`,
    );
    if (report.needsAttention.length === 0) {
      process.stdout.write('none uncertain or failed\n');
      return 0;
    }
    process.stdout.write('\n');
    printTable(
      ['status', 'email', 'attempts', 'updated (UTC)', 'delivery', 'last error'],
      report.needsAttention.map((delivery) => [
        delivery.status,
        delivery.email,
        String(delivery.sendAttempts),
        utc(delivery.updatedAt),
        delivery.id,
        delivery.lastError ?? '',
      ]),
    );
    return 0;
  } finally {
    await pool.end();
  }
}
