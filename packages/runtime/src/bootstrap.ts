import { type Config, ConfigError, loadConfig } from '@paperboy/config';
import { findUnreachable, postgresEndpoint, redisEndpoint } from './connectivity.ts';
import { createLogger, type Logger } from './logger.ts';

/**
 * The start of every process: config (every problem in one message), a logger, and a check that
 * Postgres and Redis answer, saying which one does not, where it looked and how to start it.
 * Exits non-zero instead of throwing, so an operator reads a sentence, not a stack trace.
 */
export async function bootstrap(service: string): Promise<{ config: Readonly<Config>; logger: Logger }> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(service, config.logLevel);
  const unreachable = await findUnreachable([
    postgresEndpoint(config.databaseUrl),
    redisEndpoint(config.redisUrl),
  ]);
  if (unreachable.length > 0) {
    for (const problem of unreachable) logger.fatal(problem);
    process.stderr.write(`paperboy ${service} cannot start:\n  - ${unreachable.join('\n  - ')}\n`);
    process.exit(1);
  }
  return { config, logger };
}
