import type { ChaosRun } from '../harness.ts';
import type { SeededReader } from '../infra/own-database.ts';
import type { Check, Row } from '../verdict.ts';
import { type Scenario, sleep, standardChecks, withRun } from './common.ts';
import { localDateAndHour, wallTime } from './local-time.ts';

const ZONES = ['America/New_York', 'Europe/Berlin'];

/**
 * A phase starts worker and mailer with CLOCK_START. A crossing phase starts a little before
 * `at`, the top of a UTC hour (a DST switch), plans once before it and once after; a single phase
 * starts at `at` and plans once. Each plan must create exactly the deliveries of the readers whose
 * local hour has come, as Intl (not the SQL under test) works it out.
 */
interface Phase {
  name: string;
  at: string;
  crossing: boolean;
}

const PHASES: Phase[] = [
  // New York springs forward: 02:00 EST is 03:00 EDT (07:00Z). Hour 2 does not exist that day.
  { name: 'New York spring forward', at: '2026-03-08T07:00:00Z', crossing: true },
  // Berlin springs forward: 02:00 CET is 03:00 CEST (01:00Z).
  { name: 'Berlin spring forward', at: '2026-03-29T01:00:00Z', crossing: true },
  // Berlin falls back: 03:00 CEST is 02:00 CET (01:00Z); 02:xx happens twice.
  { name: 'Berlin first 02:30 CEST', at: '2026-10-25T00:30:00Z', crossing: false },
  { name: 'Berlin fall back', at: '2026-10-25T01:00:00Z', crossing: true },
  // New York falls back: 02:00 EDT is 01:00 EST (06:00Z); 01:xx happens twice.
  { name: 'New York first 01:30 EDT', at: '2026-11-01T05:30:00Z', crossing: false },
  { name: 'New York fall back', at: '2026-11-01T06:00:00Z', crossing: true },
];

const key = (email: string, date: string) => `${email}|${date}`;

function dueAt(readers: SeededReader[], instant: Date): string[] {
  return readers
    .filter((reader) => localDateAndHour(instant, reader.timezone).hour >= reader.sendHour)
    .map((reader) => key(reader.email, localDateAndHour(instant, reader.timezone).date));
}

async function ledgerRows(run: ChaosRun): Promise<Set<string>> {
  const rows = await run.database.query<{ email: string; local_date: string }>(
    `SELECT s.email, to_char(d.local_date, 'YYYY-MM-DD') AS local_date
     FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id`,
  );
  return new Set(rows.map((row) => key(row.email, row.local_date)));
}

/** Compares the ledger with what should exist, describing differences in readers' wall time. */
async function comparePlan(
  run: ChaosRun,
  expected: Set<string>,
  instant: Date,
  label: string,
): Promise<Check> {
  const actual = await ledgerRows(run);
  const byEmail = new Map(run.readers.map((reader) => [reader.email, reader]));
  const describe = (entry: string) => {
    const reader = byEmail.get(entry.split('|')[0]!)!;
    return `${reader.timezone} hour ${reader.sendHour} on ${entry.split('|')[1]} at ${wallTime(instant, reader.timezone)}`;
  };
  const extra = [...actual].filter((entry) => !expected.has(entry));
  const missing = [...expected].filter((entry) => !actual.has(entry));
  return {
    name: `${label}: planned exactly the readers whose hour had come`,
    ok: extra.length === 0 && missing.length === 0,
    detail: [
      extra.length > 0 ? `${extra.length} planned too early/again, e.g. ${describe(extra[0]!)}` : '',
      missing.length > 0 ? `${missing.length} not planned, e.g. ${describe(missing[0]!)}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

/**
 * Runs one phase; returns how long worker and mailer took to start, from which the next crossing
 * phase sizes its lead (the time between CLOCK_START and the switch must cover start and plan).
 */
async function runPhase(
  run: ChaosRun,
  phase: Phase,
  leadMs: number,
  expected: Set<string>,
  checks: Check[],
): Promise<number> {
  const boundary = new Date(phase.at).getTime();
  const clockStart = new Date(phase.crossing ? boundary - leadMs : boundary);
  const env = { CLOCK_START: clockStart.toISOString() };
  const spawnedAt = Date.now();
  try {
    await Promise.all([run.services.start('worker', env), run.services.start('mailer', env)]);
    const readyAt = Date.now();
    // The processes' clocks started between spawn and their "started" line, so at real time t they
    // read between clockStart + (t − readyAt) and clockStart + (t − spawnedAt).
    const latest = () => clockStart.getTime() + (Date.now() - spawnedAt);
    const earliest = () => clockStart.getTime() + (Date.now() - readyAt);

    for (const entry of dueAt(run.readers, clockStart)) expected.add(entry);
    await run.plan({ ignoreSendHour: false });
    if (phase.crossing && latest() >= boundary) {
      checks.push({
        name: `${phase.name}: inconclusive`,
        ok: false,
        detail: `start and plan took ${Math.round((Date.now() - spawnedAt) / 1000)} s, more than the ${leadMs / 1000} s lead`,
      });
      return readyAt - spawnedAt;
    }
    checks.push(await comparePlan(run, expected, clockStart, `${phase.name}, before`));

    if (phase.crossing) {
      while (earliest() < boundary + 1_000) await sleep(250);
      const after = new Date(boundary + 60_000);
      for (const entry of dueAt(run.readers, after)) expected.add(entry);
      await run.plan({ ignoreSendHour: false });
      checks.push(await comparePlan(run, expected, after, `${phase.name}, after`));
    }
    await run.settle();
    return readyAt - spawnedAt;
  } finally {
    await run.services.stopAll();
  }
}

/** Per reader, one digest for each (reader, local date) the ledger should hold, none more. */
function judgeDeliveries(run: ChaosRun, expected: Set<string>, accepted: Record<string, string[]>) {
  const wanted = new Map<string, number>();
  for (const entry of expected) {
    const email = entry.split('|')[0]!;
    wanted.set(email, (wanted.get(email) ?? 0) + 1);
  }
  let delivered = 0;
  let missing = 0;
  let duplicates = 0;
  for (const reader of run.readers) {
    const ids = accepted[reader.email] ?? [];
    const distinct = new Set(ids).size;
    const want = wanted.get(reader.email) ?? 0;
    delivered += Math.min(distinct, want);
    missing += Math.max(0, want - distinct);
    duplicates += ids.length - distinct + Math.max(0, distinct - want);
  }
  return { delivered, missing, duplicates, sameIdDuplicates: 0 };
}

export const dst: Scenario = {
  name: 'dst',
  summary: 'DST days in New York and Berlin under CLOCK_START: one digest each, at the right local hour',
  run: (settings) =>
    withRun(
      settings,
      {
        label: 'dst',
        // Two readers per zone and send hour.
        readers: {
          count: ZONES.length * 48,
          placeOf: (index) => ({
            timezone: ZONES[index % ZONES.length]!,
            sendHour: Math.floor(index / 4) % 24,
          }),
        },
        startServices: false,
        env: { PLAN_EVERY_MINUTES: '60' },
      },
      async (run): Promise<Row> => {
        const expected = new Set<string>();
        const checks: Check[] = [];
        let leadMs = 60_000;
        for (const phase of PHASES) {
          const startupMs = await runPhase(run, phase, leadMs, expected, checks);
          leadMs = Math.min(90_000, Math.max(20_000, Math.round(startupMs * 1.5) + 10_000));
        }
        const ledger = await run.ledger();
        const stats = await run.sink.stats();
        const counts = judgeDeliveries(run, expected, stats.accepted);
        const failures = [...standardChecks(run.services, ledger), ...checks]
          .filter((check) => !check.ok)
          .map((check) => (check.detail ? `${check.name}: ${check.detail}` : check.name));
        if (counts.missing > 0) failures.unshift(`${counts.missing} digest(s) never arrived`);
        if (counts.duplicates > 0) failures.unshift(`${counts.duplicates} extra digest(s)`);
        return {
          scenario: `dst (${PHASES.length} phases)`,
          ...counts,
          expected: expected.size,
          resentAfterCrash: ledger.resentAfterCrash,
          ledger: ledger.byStatus,
          failures,
        };
      },
    ),
};
