/**
 * Where every decision about "now" comes from: planning (whose hour has come), send leases, and
 * whether a reader's local day has passed. Real time in production; tests and drills start it at
 * another instant (CLOCK_START) so DST days and expiry run without waiting for real hours. SQL
 * that makes these decisions takes `clock.now()` as a parameter instead of calling now().
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `start` at the moment it is made and then runs at real speed. */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const offsetMs = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offsetMs) };
}

/** The process clock from config: CLOCK_START if set (never in production), else real time. */
export function createClock(config: { clockStart: Date | null }): Clock {
  return config.clockStart ? clockStartingAt(config.clockStart) : systemClock;
}
