import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Spawned, spawnCommand } from '../../support/processes.ts';

export type ServiceName = 'api' | 'worker' | 'mailer';

const READY: Record<ServiceName, RegExp> = {
  api: /"msg":"Server listening at (http:\/\/[^"]+)"/,
  worker: /"msg":"worker started"/,
  mailer: /"msg":"mailer started"/,
};

interface Instance {
  label: string;
  name: ServiceName;
  spawned: Spawned;
  /** Set when the suite itself ended it; any other exit is a service dying on its own. */
  endedBySuite: boolean;
}

export interface ServiceSet {
  /** Starts one more process of this service and waits until it says it is ready. */
  start(name: ServiceName, extraEnv?: Record<string, string>): Promise<string>;
  /** SIGKILL to every running process of the service (its whole process group). */
  killHard(name: ServiceName): void;
  /** Labels of processes that exited without the suite ending them, with their exit codes. */
  unexpectedExits(): string[];
  /** Output lines that are not JSON log lines (raw stack traces and the like), per process. */
  strayLines(): string[];
  running(name: ServiceName): number;
  /** Writes every process's output to <directory>/<service>#<n>.log for a person to read after a run. */
  saveLogs(directory: string): void;
  stopAll(): Promise<void>;
}

/** SIGTERM, and SIGKILL to the group if the process has not finished shutting down in time. */
async function stopWithin(spawned: Spawned, graceMs: number): Promise<void> {
  if (spawned.child.exitCode !== null) return void (await spawned.stop());
  const timer = setTimeout(() => {
    try {
      process.kill(-spawned.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  await spawned.stop();
  clearTimeout(timer);
}

/** The real services as an operator runs them: `node --import tsx services/<name>/src/main.ts`. */
export function createServiceSet(baseEnv: Record<string, string>): ServiceSet {
  const instances: Instance[] = [];
  const exits: string[] = [];
  const counters: Record<ServiceName, number> = { api: 0, worker: 0, mailer: 0 };

  return {
    async start(name, extraEnv = {}) {
      counters[name] += 1;
      const label = `${name}#${counters[name]}`;
      const spawned = spawnCommand(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
        ...baseEnv,
        ...extraEnv,
      });
      const instance: Instance = { label, name, spawned, endedBySuite: false };
      instances.push(instance);
      void spawned.exited.then((code) => {
        if (!instance.endedBySuite) exits.push(`${label} exited ${code}`);
      });
      const match = await spawned.waitForOutput(READY[name], 90_000);
      return match[1] ?? label;
    },
    killHard(name) {
      for (const instance of instances) {
        if (instance.name !== name || instance.spawned.child.exitCode !== null) continue;
        instance.endedBySuite = true;
        try {
          process.kill(-instance.spawned.child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    unexpectedExits: () => [...exits],
    strayLines() {
      const stray: string[] = [];
      for (const instance of instances) {
        for (const line of instance.spawned.output().split('\n')) {
          if (line.trim() !== '' && !line.startsWith('{')) stray.push(`${instance.label}: ${line}`);
        }
      }
      return stray;
    },
    running: (name) =>
      instances.filter((instance) => instance.name === name && instance.spawned.child.exitCode === null)
        .length,
    saveLogs(directory) {
      mkdirSync(directory, { recursive: true });
      for (const instance of instances)
        writeFileSync(join(directory, `${instance.label}.log`), instance.spawned.output());
    },
    async stopAll() {
      for (const instance of instances) instance.endedBySuite = true;
      await Promise.all(instances.map((instance) => stopWithin(instance.spawned, 20_000)));
    },
  };
}
