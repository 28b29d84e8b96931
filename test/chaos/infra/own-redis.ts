import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { spawnCommand } from '../../support/processes.ts';

export interface OwnRedis {
  url: string;
  /** Wipes this server (and only this one: the suite never FLUSHALLs a Redis it did not start). */
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway redis-server on a free port, memory only, stopped by its process group. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const server = spawnCommand(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    {},
  );
  try {
    await server.waitForOutput(/Ready to accept connections/, 15_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    async flushAll() {
      const client = new Redis(url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      await server.stop();
    },
  };
}
