/** What a chaos run can be told through the environment; defaults are the numbers. */
export interface ChaosSettings {
  readers: number;
  /** Scenario names to run, in order (CHAOS_SCENARIOS=baseline,kill-9,…); empty = all. */
  scenarios: string[];
  /** kill -9 rounds of worker and mailer. */
  kills: number;
  stormSeconds: number;
  authFailSeconds: number;
  dbOutageSeconds: number;
  /** How long a scenario may go without any progress (sink or ledger) before it is judged stuck. */
  stuckSeconds: number;
  /** Upper bound for one scenario's run, on top of its planned outage. */
  runTimeoutSeconds: number;
  /** Mailer replicas in the scenarios about the breaker (its pause must be shared). */
  mailers: number;
  /** LOG_LEVEL of the services. */
  logLevel: string;
}

function whole(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

export function readSettings(): ChaosSettings {
  return {
    readers: whole('CHAOS_READERS', 2000, 20),
    scenarios: (process.env.CHAOS_SCENARIOS ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    kills: whole('CHAOS_KILLS', 3, 1),
    stormSeconds: whole('CHAOS_STORM_SECONDS', 30, 1),
    authFailSeconds: whole('CHAOS_AUTH_FAIL_SECONDS', 60, 1),
    dbOutageSeconds: whole('CHAOS_DB_OUTAGE_SECONDS', 120, 1),
    stuckSeconds: whole('CHAOS_STUCK_SECONDS', 150, 10),
    runTimeoutSeconds: whole('CHAOS_RUN_TIMEOUT_SECONDS', 480, 30),
    mailers: whole('CHAOS_MAILERS', 2, 1),
    logLevel: process.env.CHAOS_LOG_LEVEL ?? 'info',
  };
}
