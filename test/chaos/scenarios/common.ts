import { type ChaosRun, openRun, type RunOptions } from '../harness.ts';
import type { ServiceSet } from '../infra/services.ts';
import type { Ledger } from '../ledger.ts';
import type { ChaosSettings } from '../settings.ts';
import { type Check, judge, ledgerSettledCheck, type Row } from '../verdict.ts';

export interface Scenario {
  name: string;
  /** What is done to the system, in one line (printed before it runs). */
  summary: string;
  run(settings: ChaosSettings): Promise<Row>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens a run, lets the scenario act on it, and always takes everything down again. */
export async function withRun(
  settings: ChaosSettings,
  options: RunOptions,
  body: (run: ChaosRun) => Promise<Row>,
): Promise<Row> {
  const opening = Date.now();
  const run = await openRun(settings, options);
  const started = Date.now();
  try {
    return await body(run);
  } finally {
    const closing = Date.now();
    await run.close();
    const seconds = (from: number, to: number) => `${Math.round((to - from) / 1000)} s`;
    process.stdout.write(
      `  (set-up ${seconds(opening, started)}, run ${seconds(started, closing)}, take-down ${seconds(closing, Date.now())})\n`,
    );
  }
}

/** What every scenario promises: a settled ledger, no service dying on its own, only JSON logs. */
export function standardChecks(services: ServiceSet, ledger: Ledger): Check[] {
  const exits = services.unexpectedExits();
  const stray = services.strayLines();
  return [
    ledgerSettledCheck(ledger),
    { name: 'no service died', ok: exits.length === 0, detail: exits.join('; ') },
    {
      name: 'logs are JSON only',
      ok: stray.length === 0,
      detail: `${stray.length} raw line(s), first: ${stray[0]?.slice(0, 160)}`,
    },
  ];
}

/** SMTP_POOL_SIZE's default (packages/config): a mailer's sends in flight when a run does not set it. */
const DEFAULT_SMTP_POOL_SIZE = 5;

export interface Finish {
  scenario: string;
  /** Default: every seeded reader. */
  expected?: string[];
  forbidden?: string[];
  mailerKills?: number;
  checks?: (run: ChaosRun) => Promise<Check[]>;
}

/** Waits for the run to settle, then judges what the sink saw and what the ledger says. */
export async function finish(run: ChaosRun, finishing: Finish): Promise<Row> {
  const settled = await run.settle();
  const stats = await run.sink.stats();
  const ledger = await run.ledger();
  const checks: Check[] = [
    ...standardChecks(run.services, ledger),
    ...((await finishing.checks?.(run)) ?? []),
  ];
  if (!settled.settled)
    checks.push({ name: 'settled', ok: false, detail: `waiting stopped: ${settled.reason}` });
  return judge({
    scenario: finishing.scenario,
    expected: finishing.expected ?? run.readers.map((reader) => reader.email),
    forbidden: finishing.forbidden,
    accepted: stats.accepted,
    ledger,
    mailerKills: finishing.mailerKills ?? 0,
    sendsInFlightPerMailer: Number(run.env.SMTP_POOL_SIZE ?? DEFAULT_SMTP_POOL_SIZE),
    checks,
  });
}
