import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Whether the process can do its work, and what an operator should know when it cannot. */
export type Readiness = boolean | { ready: boolean; [detail: string]: unknown };

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Health, readiness and Prometheus metrics for processes that have no HTTP API of their own
 * (worker, mailer), so an orchestrator can probe and scrape them like the api.
 */
export async function startOpsServer(options: {
  host: string;
  port: number;
  /** The variable that sets `port`, named when it cannot be bound (e.g. WORKER_METRICS_PORT). */
  portVariable: string;
  registry: Registry;
  /** A boolean, or an object whose details (e.g. `breaker: 'open'`) are shown on /readyz. */
  isReady: () => Promise<Readiness>;
}): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    };
    if (req.url === '/healthz') return reply(200, 'application/json', '{"status":"ok"}');
    if (req.url === '/readyz') {
      void options.isReady().then(
        (readiness) => {
          const body = typeof readiness === 'boolean' ? { ready: readiness } : readiness;
          reply(body.ready ? 200 : 503, 'application/json', JSON.stringify(body));
        },
        () => reply(503, 'application/json', '{"ready":false}'),
      );
      return;
    }
    if (req.url === '/metrics') {
      void options.registry.metrics().then((body) => reply(200, options.registry.contentType, body));
      return;
    }
    reply(404, 'application/json', '{"error":"not_found","message":"try /healthz, /readyz or /metrics"}');
  });
  await new Promise<void>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      exitOnListenError(error, options.host, options.port, options.portVariable),
    );
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A port that cannot be bound is an operator's problem, not a bug: one JSON line saying which
 * address and what to do, and exit code 1, instead of an unhandled error's stack trace. Several
 * replicas on one host network (compose CI) need the port 0 = any free port.
 */
function exitOnListenError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  portVariable: string,
): never {
  const reason =
    error.code === 'EADDRINUSE' ? 'is in use' : `cannot be bound (${error.code ?? error.message})`;
  const line = {
    level: 'fatal',
    time: Date.now(),
    code: error.code,
    host,
    port,
    msg: `the ops server's address ${host}:${port} ${reason}; set ${portVariable} to a free port, or 0 for any free port`,
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
}
