/**
 * `npm run chaos`: runs the chaos scenarios one after another against real processes and prints
 * the table. Exits non-zero when any scenario fails. See README.md in this folder.
 */
import { auth535 } from './scenarios/auth-535.ts';
import { baseline } from './scenarios/baseline.ts';
import { bounces550 } from './scenarios/bounces-550.ts';
import type { Scenario } from './scenarios/common.ts';
import { dbOutage } from './scenarios/db-outage.ts';
import { dst } from './scenarios/dst.ts';
import { flushAll } from './scenarios/flushall.ts';
import { kill9 } from './scenarios/kill-9.ts';
import { storm421 } from './scenarios/storm-421.ts';
import { readSettings } from './settings.ts';
import { formatRowNow, formatTable } from './table.ts';
import type { Row } from './verdict.ts';

const all: Scenario[] = [baseline, kill9, flushAll, storm421, bounces550, auth535, dbOutage, dst];

const settings = readSettings();
const unknown = settings.scenarios.filter((name) => !all.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}
const chosen = settings.scenarios.length === 0 ? all : all.filter((s) => settings.scenarios.includes(s.name));

const rows: Row[] = [];
for (const scenario of chosen) {
  process.stdout.write(`\n▶ ${scenario.name}: ${scenario.summary} (${settings.readers} readers)\n`);
  const started = Date.now();
  let row: Row;
  try {
    row = await scenario.run(settings);
  } catch (error) {
    // A harness that cannot carry a scenario through is a failed scenario, not a crashed suite.
    process.stdout.write(`  ${String((error as Error).stack ?? error).slice(0, 3000)}\n`);
    row = {
      scenario: scenario.name,
      delivered: 0,
      expected: settings.readers,
      duplicates: 0,
      sameIdDuplicates: 0,
      missing: settings.readers,
      resentAfterCrash: null,
      ledger: {},
      failures: [`could not run: ${(error as Error).message.split('\n')[0]}`],
    };
  }
  rows.push(row);
  process.stdout.write(`${formatRowNow(row)} · ${Math.round((Date.now() - started) / 1000)} s\n`);
  for (const failure of row.failures) process.stdout.write(`    ${failure}\n`);
}

const failed = rows.filter((row) => row.failures.length > 0).length;
process.stdout.write(
  `\n${formatTable(rows, settings.readers)}\n\n${rows.length - failed} passed, ${failed} failed\n`,
);
process.exit(failed > 0 ? 1 : 0);
