import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkServices, configOrExit, openStore } from './context.ts';

const SERVICES = ['api', 'worker', 'mailer', 'bounces'] as const;

function serviceEntry(service: (typeof SERVICES)[number]): string {
  return fileURLToPath(new URL(`../../../${service}/src/main.ts`, import.meta.url));
}

/**
 * Runs the services as child processes, the same entry points compose runs one per
 * container. Signals are passed on; when one service dies, the others are stopped too.
 */
export async function startAll(): Promise<number> {
  const config = configOrExit();
  await checkServices(config, true);
  // Migrate once up front so the three services do not queue on the migration lock.
  await (await openStore(config)).end();

  const children = new Map<string, ChildProcess>();
  let stoppedBy: 'signal' | 'crash' | null = null;
  const stop = (signal: NodeJS.Signals, cause: 'signal' | 'crash') => {
    stoppedBy ??= cause;
    for (const child of children.values()) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT', 'signal'));
  process.on('SIGTERM', () => stop('SIGTERM', 'signal'));

  const exits = SERVICES.map(
    (service) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', serviceEntry(service)], {
          stdio: 'inherit',
          env: process.env,
        });
        children.set(service, child);
        child.on('exit', (code, signal) => {
          children.delete(service);
          if (!stoppedBy) {
            process.stderr.write(`paperboy: ${service} exited (${signal ?? code}); stopping the others\n`);
            stop('SIGTERM', 'crash');
          }
          resolve(code ?? (signal ? 1 : 0));
        });
      }),
  );
  process.stderr.write(
    `paperboy: api on http://${config.host}:${config.port}, mail ${config.smtpUrl ? `via ${new URL(config.smtpUrl).host}` : `into ${config.outboxDir}/`}; Ctrl+C stops\n`,
  );
  const codes = await Promise.all(exits);
  return stoppedBy === 'signal' && codes.every((code) => code === 0) ? 0 : 1;
}
