import { finish, type Scenario, sleep, withRun } from './common.ts';
import { nobodyFailed, nobodySuppressed } from './ledger-checks.ts';

/**
 * A 421 storm longer than the whole retry budget (short backoff) when 90 % are sent: the rest must
 * wait it out and go once it is over. A 421 says nothing about a reader.
 */
export const storm421: Scenario = {
  name: 'storm-421',
  summary: '421 to everything for CHAOS_STORM_SECONDS from 90 % sent, SEND_BACKOFF_MS=500',
  run: (settings) =>
    withRun(
      settings,
      {
        label: 'storm421',
        readers: { count: settings.readers },
        mailers: settings.mailers,
        env: { SEND_BACKOFF_MS: '500', SEND_ATTEMPTS: '5' },
      },
      async (run) => {
        await run.plan({ ignoreSendHour: true });
        await run.waitForDelivered(Math.floor(settings.readers * 0.9));
        await run.sink.setMode('421');
        await sleep(settings.stormSeconds * 1000);
        await run.sink.setMode('accept');
        return finish(run, {
          scenario: `storm-421 ${settings.stormSeconds}s`,
          checks: async () => [await nobodySuppressed(run), await nobodyFailed(run)],
        });
      },
    ),
};
