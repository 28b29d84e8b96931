import type { Config } from '@paperboy/config';
import { openMigratedPool } from '@paperboy/db';
import { closeQueues, createQueues, createRedisConnection } from '@paperboy/queue';
import { createLogger, type Logger } from '@paperboy/runtime';
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
  const redis = createRedisConnection(config.redisUrl);
  const queues = createQueues(redis, config);
  const deps: ApiDeps = { config, pool, redis, queues, metrics: createApiMetrics(queues), ...options };
  const app = await buildApp(deps, logger);
  const address = await app.listen({ host: config.host, port: config.port });
  return {
    app,
    deps,
    address,
    /** Stops accepting connections, finishes in-flight requests, then closes connections. */
    async close() {
      await app.close();
      await closeQueues(queues);
      await redis.quit();
      await pool.end();
    },
  };
}
