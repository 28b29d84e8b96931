import { finish, type Scenario, sleep, withRun } from './common.ts';
import { nobodyFailed, nobodySuppressed } from './ledger-checks.ts';

/**
 * Every AUTH refused with 535 for CHAOS_AUTH_FAIL_SECONDS from 20 % sent, then accepted again: a
 * problem of ours, not of any reader. The email queue must be paused meanwhile (BullMQ's own
 * paused state, shared by every mailer) and resume by itself.
 */
export const auth535: Scenario = {
  name: 'auth-535',
  summary: '535 to every AUTH for CHAOS_AUTH_FAIL_SECONDS from 20 % sent, then the right password works',
  run: (settings) =>
    withRun(
      settings,
      { label: 'auth535', readers: { count: settings.readers }, mailers: settings.mailers },
      async (run) => {
        await run.plan({ ignoreSendHour: true });
        await run.waitForDelivered(Math.floor(settings.readers * 0.2));
        await run.sink.setMode('auth-535');
        const sentBefore = await run.delivered();
        let pausedSeen = false;
        const until = Date.now() + settings.authFailSeconds * 1000;
        while (Date.now() < until) {
          pausedSeen ||= await run.queues.email.isPaused();
          await sleep(500);
        }
        await run.sink.setMode('accept');
        return finish(run, {
          scenario: `auth-535 ${settings.authFailSeconds}s`,
          checks: async () => [
            await nobodySuppressed(run),
            await nobodyFailed(run),
            {
              name: 'email queue paused while AUTH failed',
              ok: pausedSeen,
              detail: `never seen paused (${sentBefore} delivered when AUTH began to fail)`,
            },
            { name: 'email queue resumed', ok: !(await run.queues.email.isPaused()), detail: 'still paused' },
          ],
        });
      },
    ),
};
