import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What one line of /proc/<pid>/stat says that the bench needs. */
export interface ProcStat {
  pid: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Clock ticks after boot at which the process started: with pid, it names one process. */
  startTime: number;
}

/**
 * Parses /proc/<pid>/stat (proc(5)). comm may hold spaces and parentheses, so the fields after it
 * are counted from the last ')'. Field 14 is utime, 15 stime, 22 starttime (1-based).
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  const pid = Number(line.slice(0, open).trim());
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  const utime = field(14);
  const stime = field(15);
  const startTime = field(22);
  if (
    !Number.isFinite(pid) ||
    !Number.isFinite(utime) ||
    !Number.isFinite(stime) ||
    !Number.isFinite(startTime)
  )
    throw new Error(`unreadable /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  return { pid, comm: line.slice(open + 1, close), cpuTicks: utime + stime, startTime };
}

/** Reads the VmHWM (peak resident set) line of /proc/<pid>/status, in bytes. */
export function parsePeakRss(status: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

let clockTicks: number | null = null;

/** Clock ticks per second (getconf CLK_TCK; 100 on every Linux this runs on). */
export function clockTicksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Clock ticks since boot, the unit of a process's start time. */
function uptimeTicks(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * clockTicksPerSecond();
}

/** One process as a sampler saw it, keyed by pid and start time (pids are reused). */
export interface Observed {
  group: string;
  /** CPU ticks at the window's first sample, 0 for a process that started inside the window. */
  baseline: number;
  last: number;
}

/**
 * Sums each group's CPU ticks used inside the window: a process seen in the first sample counts
 * from there, one that appeared later counts from 0 (it started inside the window), and one that
 * exited counts up to the last sample that saw it.
 */
export function cpuTicksByGroup(observed: Iterable<Observed>): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const process of observed) {
    totals[process.group] = (totals[process.group] ?? 0) + Math.max(0, process.last - process.baseline);
  }
  return totals;
}

export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone between readdir and read
  }
}

export function readPeakRss(pid: number): number | null {
  try {
    return parsePeakRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Which group a process belongs to (worker, postgres, …), or null to ignore it. */
export type Classifier = (stat: ProcStat) => string | null;

export interface CpuSampler {
  /** Extra group membership learnt while sampling (e.g. the bench database's own backends). */
  alsoCount(pid: number, group: string): void;
  /** Takes a last sample, stops, and returns CPU milliseconds per group over the window. */
  stop(): Record<string, number>;
}

/**
 * Samples /proc every intervalMs. Postgres forks a process per connection and parallel query
 * workers come and go, so a one-off reading at start and end would miss some: sampling keeps
 * each process's last reading until it disappears. A process that exits loses at most its CPU
 * since the previous sample; the services keep their pg connections pooled, so that is rare.
 */
export function startCpuSampler(classify: Classifier, intervalMs = 200): CpuSampler {
  const observed = new Map<string, Observed>();
  const windowStartTicks = uptimeTicks();
  const extra = new Map<number, string[]>();
  let first = true;
  const sample = () => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readProcStat(Number(entry));
      if (!stat) continue;
      const groups = [classify(stat), ...(extra.get(stat.pid) ?? [])].filter(
        (group): group is string => group !== null,
      );
      for (const group of groups) {
        const key = `${group}:${stat.pid}:${stat.startTime}`;
        const known = observed.get(key);
        if (known) known.last = stat.cpuTicks;
        else observed.set(key, { group, baseline: first ? stat.cpuTicks : 0, last: stat.cpuTicks });
      }
    }
    first = false;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    alsoCount(pid, group) {
      const groups = extra.get(pid) ?? [];
      if (!groups.includes(group)) extra.set(pid, [...groups, group]);
      // Learnt late: one that started inside the window counts from 0; one from before counts
      // from now (its CPU between the window's start and now is lost, hence learning early).
      const stat = readProcStat(pid);
      const key = stat ? `${group}:${pid}:${stat.startTime}` : '';
      if (stat && !observed.has(key)) {
        const baseline = stat.startTime >= windowStartTicks ? 0 : stat.cpuTicks;
        observed.set(key, { group, baseline, last: stat.cpuTicks });
      }
    },
    stop() {
      clearInterval(timer);
      sample();
      const msPerTick = 1000 / clockTicksPerSecond();
      const ticks = cpuTicksByGroup(observed.values());
      return Object.fromEntries(Object.entries(ticks).map(([group, value]) => [group, value * msPerTick]));
    },
  };
}
