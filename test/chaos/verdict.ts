import type { Ledger } from './ledger.ts';
import type { SinkStats } from './sink/sink.types.ts';

/** A scenario's own promise beyond "exactly one each" (e.g. "nobody suppressed"). */
export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface Observation {
  scenario: string;
  /** Every reader who must get exactly one digest. */
  expected: string[];
  /** Readers who must get none (a recipient the sink refuses). */
  forbidden?: string[];
  accepted: SinkStats['accepted'];
  ledger: Ledger;
  /**
   * kill -9 of a mailer: each delivery it was sending may be sent once more, with the same
   * Message-ID (its 250 may have come, or its data sat in the socket, before the ledger's commit).
   */
  mailerKills: number;
  /** How many sends one mailer has in flight at most (SMTP_POOL_SIZE): the copies one kill may cause. */
  sendsInFlightPerMailer: number;
  checks: Check[];
}

export interface Row {
  scenario: string;
  delivered: number;
  expected: number;
  /** Extra copies of a digest the reader already had, and how many of them repeat its Message-ID. */
  duplicates: number;
  sameIdDuplicates: number;
  missing: number;
  resentAfterCrash: number | null;
  ledger: Record<string, number>;
  failures: string[];
}

/**
 * The suite's one rule: every expected reader gets exactly one digest. A loss always fails; a
 * duplicate fails unless it repeats the Message-ID of the first copy after a mailer was killed,
 * at most one such copy per kill.
 */
export function judge(observation: Observation): Row {
  const expected = new Set(observation.expected);
  let delivered = 0;
  let duplicates = 0;
  let sameIdDuplicates = 0;
  const strangers: string[] = [];
  for (const [recipient, ids] of Object.entries(observation.accepted)) {
    if (ids.length === 0) continue;
    if (!expected.has(recipient)) strangers.push(recipient);
    else delivered += 1;
    duplicates += ids.length - 1;
    sameIdDuplicates += ids.slice(1).filter((id) => id === ids[0]).length;
  }
  const missing = expected.size - delivered;
  const failures: string[] = [];
  if (missing > 0) failures.push(`${missing} reader(s) got no digest`);
  if (duplicates > sameIdDuplicates)
    failures.push(`${duplicates - sameIdDuplicates} duplicate(s) with a new Message-ID`);
  const allowed = observation.mailerKills * observation.sendsInFlightPerMailer;
  if (sameIdDuplicates > allowed)
    failures.push(
      `${sameIdDuplicates} same-Message-ID duplicate(s) for ${observation.mailerKills} mailer kill(s) of ${observation.sendsInFlightPerMailer} sends in flight`,
    );
  // Each such copy is a delivery the ledger says it sent again after a crash, never a silent one.
  const resent = observation.ledger.resentAfterCrash;
  if (sameIdDuplicates > 0 && resent !== null && sameIdDuplicates > resent)
    failures.push(`${sameIdDuplicates} same-Message-ID duplicate(s) but ${resent} resent after a crash`);
  const forbidden = new Set(observation.forbidden ?? []);
  const wrongful = strangers.filter((recipient) => forbidden.has(recipient));
  if (wrongful.length > 0) failures.push(`${wrongful.length} refused reader(s) got a digest anyway`);
  if (strangers.length > wrongful.length)
    failures.push(`${strangers.length - wrongful.length} digest(s) to addresses nobody expected`);
  for (const check of observation.checks) {
    if (!check.ok) failures.push(check.detail ? `${check.name}: ${check.detail}` : check.name);
  }
  return {
    scenario: observation.scenario,
    delivered,
    expected: expected.size,
    duplicates,
    sameIdDuplicates,
    missing,
    resentAfterCrash: observation.ledger.resentAfterCrash,
    ledger: observation.ledger.byStatus,
    failures,
  };
}

/** No delivery may be left half-way: Postgres is the ledger, and it must say how each one ended. */
export function ledgerSettledCheck(ledger: Ledger): Check {
  const unfinished = ['planned', 'composed', 'sending']
    .map((status) => [status, ledger.byStatus[status] ?? 0] as const)
    .filter(([, count]) => count > 0);
  return {
    name: 'ledger settled',
    ok: unfinished.length === 0,
    detail: unfinished.map(([status, count]) => `${count} still ${status}`).join(', '),
  };
}
