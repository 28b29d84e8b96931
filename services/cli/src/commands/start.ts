import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkServices, configOrExit, openStore } from './context.ts';

const SERVICES = ['api', 'worker', 'mailer', 'bounces'] as const;

function serviceEntry(service: (typeof SERVICES)[number]): string {
  return fileURLToPath(new URL(`../../../${service}/src/main.ts`, import.meta.url));
}

/**
 * Runs the services as child processes, the same entry points compose runs one per
 * container. Signals are passed on; a service that dies is restarted with backoff.
 */
export async function startAll(): Promise<number> {
  const config = configOrExit();
  await checkServices(config, true);
  // Migrate once up front so the three services do not queue on the migration lock.
  await (await openStore(config)).end();

  const children = new Map<string, ChildProcess>();
  let stoppedBy: 'signal' | null = null;
  const stop = (signal: NodeJS.Signals, cause: 'signal') => {
    stoppedBy ??= cause;
    for (const child of children.values()) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT', 'signal'));
  process.on('SIGTERM', () => stop('SIGTERM', 'signal'));

  // A crashed service is restarted with backoff instead of taking the others down: an outage of
  // Postgres or Redis is weather, and a worker that died must not stop the mailer's sends.
  const exits = SERVICES.map(
    (service) =>
      new Promise<number>((resolve) => {
        let restartDelayMs = 1_000;
        const run = () => {
          const startedAt = Date.now();
          const child = spawn(process.execPath, ['--import', 'tsx', serviceEntry(service)], {
            stdio: 'inherit',
            env: process.env,
          });
          children.set(service, child);
          child.on('exit', (code, signal) => {
            children.delete(service);
            if (stoppedBy) return resolve(code ?? (signal ? 1 : 0));
            // A service that ran a while before dying starts again quickly; one that keeps dying waits longer.
            if (Date.now() - startedAt > 60_000) restartDelayMs = 1_000;
            process.stderr.write(
              `paperboy: ${service} exited (${signal ?? code}); restarting it in ${restartDelayMs / 1000}s\n`,
            );
            setTimeout(() => (stoppedBy ? resolve(1) : run()), restartDelayMs);
            restartDelayMs = Math.min(restartDelayMs * 2, 30_000);
          });
        };
        run();
      }),
  );
  process.stderr.write(
    `paperboy: api on http://${config.host}:${config.port}, mail ${config.smtpUrl ? `via ${new URL(config.smtpUrl).host}` : `into ${config.outboxDir}/`}; Ctrl+C stops\n`,
  );
  const codes = await Promise.all(exits);
  return stoppedBy === 'signal' && codes.every((code) => code === 0) ? 0 : 1;
}
