// Where the CPU of a sign-up goes, across every process that serves one: the api, the load
// generator, Redis and Postgres. The cores are shared, so each is read from /proc over the
// measured window (proc-stats.ts) rather than inferred from wall-clock throughput.
import type { Pool } from '@paperboy/db';
import { type CpuSampler, startCpuSampler } from './daily/proc-stats.ts';

/** CPU milliseconds per answered request, by process group. */
export interface SignupCpu {
  api: number;
  load: number;
  redis: number;
  /** Backends of the api's own connections (named by application_name). */
  postgresOwn: number;
  /** Every postgres process on the machine: WAL writer, checkpointer and other users included. */
  postgresAll: number;
}

export interface SignupCpuWindow {
  /** Stops sampling: CPU milliseconds by group over the window. */
  stop(): Promise<Record<string, number>>;
}

/**
 * Opens the window: every process named in `pids`, plus postgres. The api's backends are learnt
 * from pg_stat_activity by `applicationName` now and every second (the pool opens lazily).
 */
export function openCpuWindow(
  pids: { api: number; load: number; redis: number },
  pool: Pool,
  applicationName: string,
): SignupCpuWindow {
  const groups = new Map<number, string>([
    [pids.api, 'api'],
    [pids.load, 'load'],
    [pids.redis, 'redis'],
  ]);
  const sampler: CpuSampler = startCpuSampler(
    (stat) => groups.get(stat.pid) ?? (stat.comm === 'postgres' ? 'postgresAll' : null),
  );
  const learn = async () => {
    const { rows } = await pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    for (const row of rows) sampler.alsoCount(row.pid, 'postgresOwn');
  };
  let learning = learn().catch(() => {});
  const timer = setInterval(() => {
    learning = learning.then(learn).catch(() => {});
  }, 1_000);
  return {
    async stop() {
      clearInterval(timer);
      const ms = sampler.stop();
      await learning;
      return ms;
    },
  };
}

export function cpuPerRequest(ms: Record<string, number>, requests: number): SignupCpu {
  const per = (group: string) => (ms[group] ?? 0) / requests;
  return {
    api: per('api'),
    load: per('load'),
    redis: per('redis'),
    postgresOwn: per('postgresOwn'),
    postgresAll: per('postgresAll'),
  };
}

export function describeCpu(cpu: SignupCpu): string {
  const ms = (value: number) => value.toFixed(3);
  return (
    `CPU ms per request: api ${ms(cpu.api)}, load generator ${ms(cpu.load)}, redis ${ms(cpu.redis)}, ` +
    `postgres ${ms(cpu.postgresOwn)} own backends / ${ms(cpu.postgresAll)} all processes`
  );
}
