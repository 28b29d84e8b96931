import { finish, type Scenario, sleep, withRun } from './common.ts';

/**
 * The run's database refuses connections for CHAOS_DB_OUTAGE_SECONDS from 40 % sent, its backends
 * terminated (only this scenario's own database). Services must ride it out, not die, and finish.
 */
export const dbOutage: Scenario = {
  name: 'db-outage',
  summary: 'ALTER DATABASE … ALLOW_CONNECTIONS false + pg_terminate_backend at 40 % sent, then back',
  run: (settings) =>
    withRun(settings, { label: 'dboutage', readers: { count: settings.readers } }, async (run) => {
      await run.plan({ ignoreSendHour: true });
      await run.waitForDelivered(Math.floor(settings.readers * 0.4));
      await run.database.refuseConnections();
      try {
        await sleep(settings.dbOutageSeconds * 1000);
      } finally {
        await run.database.allowConnections();
      }
      return finish(run, { scenario: `db-outage ${settings.dbOutageSeconds}s` });
    }),
};
