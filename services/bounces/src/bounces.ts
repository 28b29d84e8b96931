import type { Config } from '@paperboy/config';
import { openMigratedPool, recordBounce } from '@paperboy/db';
import { createLogger, type Logger, startOpsServer } from '@paperboy/runtime';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { startBounceListener } from './smtp-listener.ts';

/** Everything the bounces process runs; main.ts only adds signals. Tests start it the same way. */
export async function startBounces(
  config: Readonly<Config>,
  logger: Logger = createLogger('bounces', config.logLevel),
) {
  const pool = await openMigratedPool(config.databaseUrl, 4);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_bounces_' });
  const reports = new Counter({
    name: 'paperboy_bounce_reports_total',
    help: 'Inbound bounce and complaint reports by kind, and whether they suppressed the address.',
    labelNames: ['kind', 'suppressed'],
    registers: [registry],
  });
  const listener = await startBounceListener({
    host: config.host,
    port: config.bounceSmtpPort,
    tokenSecret: config.tokenSecret,
    bounceDomain: config.bounceDomain,
    logger,
    async record(report) {
      const recorded = await recordBounce(pool, report);
      reports.inc({ kind: recorded.kind, suppressed: String(recorded.suppressed) });
      return recorded;
    },
  });
  const opsServer = await startOpsServer({
    host: config.host,
    port: config.bouncesMetricsPort,
    portVariable: 'BOUNCES_METRICS_PORT',
    registry,
    isReady: () => pool.query('SELECT 1').then(() => true),
  });
  logger.info(
    { smtpPort: listener.port, opsPort: opsServer.port, bounceDomain: config.bounceDomain },
    'bounces listening',
  );
  return {
    pool,
    smtpPort: listener.port,
    opsServer,
    /** Stops taking reports, lets the ones in flight finish, then closes Postgres. */
    async close() {
      await listener.close();
      await opsServer.close();
      await pool.end();
    },
  };
}
