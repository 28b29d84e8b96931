import { Cluster, Redis as RedisServer } from 'ioredis';

export type { Cluster, RedisServer };
/**
 * One Redis server or a Redis Cluster: BullMQ, the rate-limit store and the limiters take either,
 * so what paperboy passes around as "Redis" is this union.
 */
export type Redis = RedisServer | Cluster;
export type RedisConnection = Redis;

// redis+cluster://[user:password@]host:port,host:port — any node will do, the rest is discovered.
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?$/;

/** The seed nodes and credentials of a `redis+cluster://` URL; null for a plain redis:// URL. */
export function clusterNodes(redisUrl: string): {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
} | null {
  const match = CLUSTER_URL.exec(redisUrl);
  if (!match) return null;
  const [, scheme, userinfo, hosts] = match;
  const nodes = hosts!.split(',').map((node) => {
    const url = new URL(`redis://${node.trim()}`);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) };
  });
  const [username, password] = userinfo ? userinfo.split(':').map(decodeURIComponent) : [];
  return {
    nodes,
    username: password === undefined ? undefined : username || undefined,
    password: password ?? username,
    tls: scheme === 'rediss',
  };
}

/**
 * A Redis connection fit for BullMQ: blocking commands must be allowed to wait forever. A
 * `redis+cluster://` URL gives a Cluster client; the `{hash tag}` in QUEUE_PREFIX keeps each
 * queue's keys (and the rate-limit and limiter keys built from it) in one slot. ioredis reconnects
 * with backoff on its own; `onError` hears each failed attempt (a lost Redis is weather, not
 * death), so nothing is printed outside the JSON log.
 */
export function createRedisConnection(
  redisUrl: string,
  onError?: (error: Error) => void,
  options: { autoPipelining?: boolean } = {},
): RedisConnection {
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 5_000);
  const cluster = clusterNodes(redisUrl);
  // Auto-pipelining sends every command issued in one turn of the event loop as one write: for a
  // process answering many requests at once (the api's rate limits, sign-up jobs) that is one
  // syscall instead of dozens. Not for connections that block (BullMQ workers wait on BZPOPMIN).
  const enableAutoPipelining = options.autoPipelining ?? false;
  const redis = cluster
    ? new Cluster(cluster.nodes, {
        enableAutoPipelining,
        enableReadyCheck: true,
        clusterRetryStrategy: retryStrategy,
        redisOptions: {
          maxRetriesPerRequest: null,
          username: cluster.username,
          password: cluster.password,
          tls: cluster.tls ? {} : undefined,
        },
      })
    : new RedisServer(redisUrl, {
        maxRetriesPerRequest: null,
        enableReadyCheck: true,
        enableAutoPipelining,
        retryStrategy,
      });
  if (onError) redis.on('error', onError);
  return redis;
}
