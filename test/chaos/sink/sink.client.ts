import { fileURLToPath } from 'node:url';
import { spawnCommand } from '../../support/processes.ts';
import type { SinkMode, SinkStats } from './sink.types.ts';

const SINK_PROGRAM = fileURLToPath(new URL('./sink.process.ts', import.meta.url));

export interface ChaosSink {
  /** SMTP_URL for the mailers, with credentials so the sink can refuse AUTH. */
  smtpUrl: string;
  setMode(mode: SinkMode): Promise<void>;
  rejectRecipients(addresses: string[]): Promise<void>;
  stats(): Promise<SinkStats>;
  stop(): Promise<void>;
}

/** Starts the sink program as its own process (and process group) and talks to its control port. */
export async function startChaosSink(): Promise<ChaosSink> {
  const sink = spawnCommand(process.execPath, ['--import', 'tsx', SINK_PROGRAM], {});
  try {
    const [, smtpPort, controlPort] = await sink.waitForOutput(
      /"smtpPort":(\d+),"controlPort":(\d+)/,
      30_000,
    );
    const control = `http://127.0.0.1:${controlPort}`;
    // If the sink itself died, say so with what it printed, not only "fetch failed".
    const call = (path: string, init?: RequestInit) =>
      fetch(`${control}${path}`, init).catch((error: Error) => {
        throw new Error(
          `SMTP sink unreachable (${error.message}); its output:\n${sink.output().slice(-2000)}`,
        );
      });
    const put = async (path: string, body: unknown) => {
      const response = await call(path, { method: 'PUT', body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`sink ${path}: ${response.status} ${await response.text()}`);
    };
    return {
      smtpUrl: `smtp://chaos:chaos-password@127.0.0.1:${smtpPort}`,
      setMode: (mode) => put('/mode', { mode }),
      rejectRecipients: (addresses) => put('/reject', { addresses }),
      async stats() {
        return (await (await call('/stats')).json()) as SinkStats;
      },
      async stop() {
        await sink.stop();
      },
    };
  } catch (error) {
    await sink.stop();
    throw error;
  }
}
