import { type Config, ConfigError, loadConfig } from '@paperboy/config';
import { openMigratedPool, type Pool } from '@paperboy/db';
import { findUnreachable, postgresEndpoint, redisEndpoint } from '@paperboy/runtime';

/** Prints a message for a person and exits: CLI failures are sentences, not stack traces. */
export function fail(message: string): never {
  process.stderr.write(`paperboy: ${message}\n`);
  process.exit(1);
}

export function configOrExit(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export async function checkServices(config: Readonly<Config>, needRedis: boolean): Promise<void> {
  const endpoints = [
    postgresEndpoint(config.databaseUrl),
    ...(needRedis ? [redisEndpoint(config.redisUrl)] : []),
  ];
  const problems = await findUnreachable(endpoints);
  if (problems.length > 0) fail(`cannot reach what paperboy needs:\n  - ${problems.join('\n  - ')}`);
}

/** A migrated store: every command may be the first thing run on a fresh machine. */
export function openStore(config: Readonly<Config>): Promise<Pool> {
  return openMigratedPool(config.databaseUrl, 2);
}
