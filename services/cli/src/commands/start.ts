import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '@paperboy/runtime';
import { checkServices, configOrExit, openStore } from './context.ts';
import { watchParent } from './watch-parent.ts';

const SERVICES = ['api', 'worker', 'mailer', 'bounces'] as const;

// The services run the build this CLI runs: compiled dist/ JavaScript with plain node when this file
// is compiled, or when the `paperboy-dist` condition (the image's NODE_OPTIONS) resolves the CLI to
// dist/; otherwise the TypeScript sources through tsx, which costs each service seconds of start-up.
const compiled = import.meta.url.endsWith('.js') || import.meta.resolve('#main').endsWith('.js');
// Compiled services find their compiled @paperboy/* packages under this condition (the image sets
// it in NODE_OPTIONS too; a second mention is harmless).
const build = compiled
  ? { dir: 'dist', ext: 'js', loader: ['--conditions=paperboy-dist', ...SERVICE_NODE_FLAGS] }
  : { dir: 'src', ext: 'ts', loader: ['--import', 'tsx', ...SERVICE_NODE_FLAGS] };

function serviceEntry(service: (typeof SERVICES)[number]): string {
  return fileURLToPath(new URL(`../../../${service}/${build.dir}/main.${build.ext}`, import.meta.url));
}
const PARENT_WATCH = new URL(`../../${build.dir}/parent-watch.${build.ext}`, import.meta.url).href;

/**
 * Runs the services as child processes, the same entry points compose runs one per container.
 * Each stop request (Ctrl+C, SIGTERM, the parent going away) is passed on once as SIGTERM. A
 * service that dies on its own is restarted with backoff instead of taking the others down: an
 * outage of Postgres or Redis is weather, and a worker that died must not stop the mailer's sends.
 *
 * The services run in their own process group (detached): a Ctrl+C in the terminal signals the
 * whole foreground group, and a service that got SIGINT from the terminal and SIGTERM from us
 * would read the second as "exit now". Here only we signal them, once; and parent-watch.ts stops
 * them if we are killed outright.
 */
export async function startAll(): Promise<number> {
  const config = configOrExit();
  await checkServices(config, true);
  // Migrate once up front so the services do not queue on the migration lock.
  await (await openStore(config)).end();

  const children = new Map<string, ChildProcess>();
  let stoppedBy: string | null = null;
  const stop = (cause: string) => {
    if (stoppedBy) return;
    stoppedBy = cause;
    process.stderr.write(`paperboy: ${cause}; stopping ${SERVICES.join(', ')}\n`);
    for (const child of children.values()) child.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT received'));
  process.on('SIGTERM', () => stop('SIGTERM received'));
  // `npm start` runs us under `sh -c`; a SIGTERM to npm kills that shell and never reaches us.
  watchParent(() => stop('the process that started paperboy exited'));

  const exits = SERVICES.map(
    (service) =>
      new Promise<number>((resolve) => {
        let restartDelayMs = 1_000;
        const run = () => {
          const startedAt = Date.now();
          const child = spawn(
            process.execPath,
            [...build.loader, '--import', PARENT_WATCH, serviceEntry(service)],
            { stdio: 'inherit', env: process.env, detached: true },
          );
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
  return codes.every((code) => code === 0) ? 0 : 1;
}
