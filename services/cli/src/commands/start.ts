import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkServices, configOrExit, openStore } from './context.ts';
import { watchParent } from './watch-parent.ts';

const SERVICES = ['api', 'worker', 'mailer'] as const;

function serviceEntry(service: (typeof SERVICES)[number]): string {
  return fileURLToPath(new URL(`../../../${service}/src/main.ts`, import.meta.url));
}
const PARENT_WATCH = new URL('../parent-watch.ts', import.meta.url).href;

/**
 * Runs the three services as child processes, the same entry points compose runs one per
 * container. Each stop request (Ctrl+C, SIGTERM, the parent going away, a service dying) is
 * passed on once as SIGTERM; when one service dies, the others are stopped too.
 *
 * The services run in their own process group (detached): a Ctrl+C in the terminal signals the
 * whole foreground group, and a service that got SIGINT from the terminal and SIGTERM from us
 * would read the second as "exit now". Here only we signal them, once; and parent-watch.ts stops
 * them if we are killed outright.
 */
export async function startAll(): Promise<number> {
  const config = configOrExit();
  await checkServices(config, true);
  // Migrate once up front so the three services do not queue on the migration lock.
  await (await openStore(config)).end();

  const children = new Map<string, ChildProcess>();
  let stoppedBy: string | null = null;
  const stop = (cause: string) => {
    if (stoppedBy) return;
    stoppedBy = cause;
    process.stderr.write(`paperboy: ${cause}; stopping api, worker and mailer\n`);
    for (const child of children.values()) child.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT received'));
  process.on('SIGTERM', () => stop('SIGTERM received'));
  // `npm start` runs us under `sh -c`; a SIGTERM to npm kills that shell and never reaches us.
  watchParent(() => stop('the process that started paperboy exited'));

  const exits = SERVICES.map(
    (service) =>
      new Promise<number>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--import', PARENT_WATCH, serviceEntry(service)],
          { stdio: 'inherit', env: process.env, detached: true },
        );
        children.set(service, child);
        child.on('exit', (code, signal) => {
          children.delete(service);
          if (!stoppedBy) stop(`${service} exited (${signal ?? code})`);
          resolve(code ?? (signal ? 1 : 0));
        });
      }),
  );
  process.stderr.write(
    `paperboy: api on http://${config.host}:${config.port}, mail ${config.smtpUrl ? `via ${new URL(config.smtpUrl).host}` : `into ${config.outboxDir}/`}; Ctrl+C stops\n`,
  );
  const codes = await Promise.all(exits);
  const bySignal = stoppedBy !== null && !/exited \(/.test(stoppedBy);
  return bySignal && codes.every((code) => code === 0) ? 0 : 1;
}
