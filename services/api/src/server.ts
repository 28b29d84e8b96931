import type { Config } from '@paperboy/config';
import { openMigratedPool } from '@paperboy/db';
import { closeQueues, createQueues, createRedisConnection } from '@paperboy/queue';
import { createLogger, type Logger, startOpsServer } from '@paperboy/runtime';
import { buildApp } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { createApiMetrics } from './metrics.ts';

/** Connects, migrates and listens; main.ts only adds signals. Tests start it the same way. */
export async function startApi(
  config: Readonly<Config>,
  logger: Logger = createLogger('api', config.logLevel),
  options: Pick<ApiDeps, 'snsFetch'> = {},
) {
  const pool = await openMigratedPool(config.databaseUrl);
  // The api never blocks on Redis, and under load it issues rate-limit counts for many requests
  // in the same turn: pipelined, they cost one write instead of one each.
  const redis = createRedisConnection(config.redisUrl, undefined, { autoPipelining: true });
  const rateLimitRedis = createRedisConnection(config.redisUrl);
  const queues = createQueues(redis, config);
  const deps: ApiDeps = {
    config,
    pool,
    redis,
    rateLimitRedis,
    queues,
    metrics: createApiMetrics(queues),
    ...options,
  };
  const app = await buildApp(deps, logger);
  const address = await app.listen({ host: config.host, port: config.port });
  // Metrics (queue depths read from Redis on every scrape) stay off the public port, on an ops
  // port like the worker's and the mailer's, for the platform's scraper and probes only.
  const opsServer = await startOpsServer({
    host: config.host,
    port: config.apiMetricsPort,
    portVariable: 'API_METRICS_PORT',
    registry: deps.metrics,
    isReady: async () => {
      await deps.pool.query('SELECT 1');
      return (await redis.ping()) === 'PONG';
    },
  });
  logger.info({ opsPort: opsServer.port }, 'api ops server listening');
  return {
    app,
    deps,
    address,
    opsServer,
    /** Stops accepting connections, finishes in-flight requests, then closes connections. */
    async close() {
      await app.close();
      await opsServer.close();
      await closeQueues(queues);
      await redis.quit();
      await rateLimitRedis.quit();
      await pool.end();
    },
  };
}
