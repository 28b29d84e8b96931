import net from 'node:net';

export interface Endpoint {
  what: 'PostgreSQL' | 'Redis';
  variable: string;
  url: string;
  howToStart: string;
}

function hostAndPort(rawUrl: string, defaultPort: number): { host: string; port: number } {
  // A Redis Cluster URL lists seed nodes (redis+cluster://h1:p1,h2:p2): the first one is checked.
  const url = new URL(rawUrl.replace(/^(rediss?)\+cluster:\/\/(?:[^@/]*@)?([^,/]+).*$/, 'redis://$2'));
  return { host: url.hostname || '127.0.0.1', port: Number(url.port || defaultPort) };
}

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function postgresEndpoint(databaseUrl: string): Endpoint {
  return {
    what: 'PostgreSQL',
    variable: 'DATABASE_URL',
    url: databaseUrl,
    howToStart:
      'start one with `docker compose up -d postgres` (then DATABASE_URL=postgres://paperboy:paperboy@127.0.0.1:5432/paperboy), or on Debian `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`',
  };
}

export function redisEndpoint(redisUrl: string): Endpoint {
  return {
    what: 'Redis',
    variable: 'REDIS_URL',
    url: redisUrl,
    howToStart:
      'start one with `docker compose up -d redis`, or `redis-server --daemonize yes --bind 127.0.0.1 --port 6379`',
  };
}

/**
 * Checks that each endpoint accepts TCP connections and returns one readable line per one that
 * does not: which service, where it looked, and how to start it. Empty when all are reachable.
 */
export async function findUnreachable(endpoints: Endpoint[], timeoutMs = 2_000): Promise<string[]> {
  const problems: string[] = [];
  for (const endpoint of endpoints) {
    const { host, port } = hostAndPort(endpoint.url, endpoint.what === 'PostgreSQL' ? 5432 : 6379);
    if (!(await canConnect(host, port, timeoutMs))) {
      problems.push(
        `${endpoint.what} is not reachable at ${host}:${port} (from ${endpoint.variable}); ${endpoint.howToStart}`,
      );
    }
  }
  return problems;
}
