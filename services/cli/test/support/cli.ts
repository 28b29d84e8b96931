import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMPILED_BUILD_ENV } from '@paperboy/testing';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const SESSION = fileURLToPath(new URL('./cli-session.mjs', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The compiled CLI, as the image runs it: no tsx transform of every source file on each start.
const environment = (env: Record<string, string>) => ({ ...process.env, ...COMPILED_BUILD_ENV, ...env });

/** `paperboy ARGS` as its own process, as an operator runs it: it must print, exit and exit on its own. */
export function spawnPaperboy(env: Record<string, string>, ...args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/cli/bin/paperboy.js', ...args], {
      cwd: root,
      env: environment(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface PaperboySession {
  /** `paperboy ARGS`: the same entry, argv parsing, output and exit code, without a cold start. */
  run(...args: string[]): Promise<Ran>;
  close(): Promise<void>;
}

/**
 * One compiled CLI process for a test file's many commands (cli-session.mjs). A cold start costs
 * about a second of CPU, mostly imports, and a file runs dozens of commands; a few of each file's
 * commands still run through spawnPaperboy to prove the real process exits by itself.
 */
export function startPaperboySession(env: Record<string, string>): PaperboySession {
  const child: ChildProcess = fork(SESSION, [], {
    cwd: root,
    env: environment(env),
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const pending = new Map<number, { resolve: (ran: Ran) => void; reject: (error: Error) => void }>();
  child.on('message', (message: Ran & { id: number }) => {
    const { id, ...ran } = message;
    pending.get(id)?.resolve(ran);
    pending.delete(id);
  });
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const { reject } of pending.values()) {
        reject(new Error(`the CLI session exited (${signal ?? code}) mid-command:\n${output}`));
      }
      pending.clear();
      resolve();
    });
  });
  let nextId = 0;
  return {
    run: (...args) =>
      new Promise<Ran>((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { resolve, reject });
        child.send({ id: nextId, args });
      }),
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
