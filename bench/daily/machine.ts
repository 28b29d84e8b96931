import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Pool } from '@paperboy/db';
import type { Redis } from '@paperboy/queue';
import { repoRoot } from '../../test/support/processes.ts';
import type { BenchResults, RunInfo } from './figures.ts';
import { redisVersion } from './redis-memory.ts';

/** The commit the figures belong to, marked when tracked files had changes. */
function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : ' (dirty)'}`;
  } catch {
    return 'unknown';
  }
}

export function runInfo(command: string): RunInfo {
  const [one, five, fifteen] = loadavg() as [number, number, number];
  return { date: new Date().toISOString(), commit: commit(), command, loadAverage: [one, five, fifteen] };
}

export async function machine(pool: Pool, redis: Redis): Promise<NonNullable<BenchResults['machine']>> {
  const postgres = (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!
    .v;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres,
    redis: await redisVersion(redis),
  };
}
