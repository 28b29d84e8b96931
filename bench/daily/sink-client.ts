import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SinkCounts } from './sink.types.ts';

const SINK_PROGRAM = fileURLToPath(new URL('./sink-process.ts', import.meta.url));

export interface CountingSink {
  pid: number;
  smtpUrl: string;
  port: number;
  counts(): Promise<SinkCounts>;
  stop(): Promise<void>;
}

/** Forks the sink program (tsx, like the bench itself) and asks it for counts over IPC. */
export async function startCountingSink(): Promise<CountingSink> {
  const child = fork(SINK_PROGRAM, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { ready: number }).ready));
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before listening`)));
  });
  return {
    pid: child.pid!,
    port,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    counts() {
      return new Promise((resolve) => {
        child.once('message', (message) => resolve(message as SinkCounts));
        child.send('stats');
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
