import { finish, type Scenario, sleep, withRun } from './common.ts';

/**
 * kill -9 of worker and mailer at random moments of the run, each restarted at once. Every kill of
 * a mailer may leave one copy with the same Message-ID (a 250 that arrived before the ledger's
 * commit); nothing else may be lost or doubled.
 */
export const kill9: Scenario = {
  name: 'kill-9',
  summary: 'kill -9 of worker and mailer at random moments, restarted each time',
  run: (settings) =>
    withRun(
      settings,
      {
        label: 'kill9',
        readers: { count: settings.readers },
        // The send lease is derived from the SMTP timeouts (11 round trips' worth, ~6 min at the
        // default 30 s): short timeouts to a local sink make a dead mailer's lease end within ~1 min.
        env: { SMTP_TIMEOUT_SECONDS: '5' },
      },
      async (run) => {
        const moments = Array.from({ length: settings.kills }, () => Math.random() * 0.9).sort(
          (a, b) => a - b,
        );
        await run.plan({ ignoreSendHour: true });
        let kills = 0;
        for (const moment of moments) {
          await run.waitForDelivered(Math.floor(moment * settings.readers));
          await sleep(Math.random() * 300);
          run.services.killHard('worker');
          run.services.killHard('mailer');
          kills += 1;
          await Promise.all([run.services.start('worker'), run.services.start('mailer')]);
        }
        return finish(run, {
          scenario: `kill-9 ×${kills} (${moments.map((moment) => `${Math.round(moment * 100)}%`).join(' ')})`,
          mailerKills: kills,
        });
      },
    ),
};
