import { finish, type Scenario, withRun } from './common.ts';

/** FLUSHALL of the run's own Redis at 40 %: the services must rebuild their work from Postgres alone. */
export const flushAll: Scenario = {
  name: 'flushall',
  summary: 'FLUSHALL of the (own) Redis at 40 % sent; no restart, no command',
  run: (settings) =>
    withRun(settings, { label: 'flushall', readers: { count: settings.readers } }, async (run) => {
      await run.plan({ ignoreSendHour: true });
      await run.waitForDelivered(Math.floor(settings.readers * 0.4));
      await run.redis.flushAll();
      return finish(run, { scenario: 'flushall' });
    }),
};
