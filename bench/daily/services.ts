import { execFileSync } from 'node:child_process';
import { SERVICE_NODE_FLAGS } from '@paperboy/runtime';
import { COMPILED_BUILD_ENV } from '@paperboy/testing';
import { repoRoot, type Spawned, spawnCommand } from '../../test/support/processes.ts';
import { onInterrupt } from './interrupt.ts';

export type BenchService = 'worker' | 'mailer';

const READY: Record<BenchService, RegExp> = {
  worker: /"msg":"worker started"/,
  mailer: /"msg":"mailer started"/,
};

/** `npm run compile`: the services run the JavaScript the image runs, not tsx. */
export function compileServices(): void {
  execFileSync('npm', ['run', '-s', 'compile'], { cwd: repoRoot, stdio: 'inherit', timeout: 600_000 });
}

export interface RunningService {
  name: BenchService;
  pid: number;
  spawned: Spawned;
}

/**
 * One service as compose runs it (`node services/<name>/dist/main.js` with the dist condition),
 * waiting until it says it started. Its output is kept for the error message if it dies.
 */
export async function startService(name: BenchService, env: Record<string, string>): Promise<RunningService> {
  // BENCH_CPU_PROF=<dir>: each service writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${name}`]
    : [];
  // The image's V8 flags (SERVICE_NODE_FLAGS), then BENCH_NODE_FLAGS="…" to try other settings.
  const flags = [...SERVICE_NODE_FLAGS, ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
  const spawned = spawnCommand(process.execPath, [...flags, ...profile, `services/${name}/dist/main.js`], {
    ...env,
    ...COMPILED_BUILD_ENV,
  });
  const forget = onInterrupt(() => spawned.stop());
  void spawned.exited.then(forget);
  await spawned.waitForOutput(READY[name], 90_000);
  return { name, pid: spawned.child.pid!, spawned };
}

/** A service that exited during the run: its name, code and last output, for the error. */
export function deadService(services: RunningService[]): string | null {
  const dead = services.find((service) => service.spawned.child.exitCode !== null);
  if (!dead) return null;
  return `${dead.name} exited (${dead.spawned.child.exitCode}):\n${dead.spawned.output().slice(-3000)}`;
}

/** Lines the services logged at warn or above (level ≥ 40), for the report. */
export function warnings(services: RunningService[]): string[] {
  return services.flatMap((service) =>
    service.spawned
      .output()
      .split('\n')
      .filter((line) => /"level":(4|5|6)\d/.test(line))
      .map((line) => `${service.name}: ${line.slice(0, 300)}`),
  );
}
