import { deliveryStatusByEmail } from '../ledger.ts';
import type { Check } from '../verdict.ts';
import { finish, type Scenario, withRun } from './common.ts';
import { suppressedExactly } from './ledger-checks.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * 550 5.1.1 at RCPT TO for 5 % of readers: a verdict about those readers only. They are suppressed
 * and tried once; everyone else gets one digest; the next day's plan leaves them out.
 */
export const bounces550: Scenario = {
  name: 'bounces-550',
  summary: '550 5.1.1 for 5 % of recipients',
  run: (settings) =>
    withRun(
      settings,
      { label: 'bounces550', readers: { count: settings.readers }, startServices: false },
      async (run) => {
        const refused = run.readers.filter((_, index) => index % 20 === 7).map((reader) => reader.email);
        const refusedSet = new Set(refused);
        // Before the services start: the seeded readers are due at once (send hour 0 UTC), so the
        // worker's own scheduled plan may send before a later refusal list is in place (it did once:
        // 5 refused readers got their digest ahead of it).
        await run.sink.rejectRecipients(refused);
        await run.startServices();
        await run.plan({ ignoreSendHour: true });
        return finish(run, {
          scenario: `bounces-550 (${refused.length} refused)`,
          expected: run.readers.map((reader) => reader.email).filter((email) => !refusedSet.has(email)),
          forbidden: refused,
          checks: async (): Promise<Check[]> => {
            const attempts = (await run.sink.stats()).rcptAttempts;
            const notOnce = refused.filter((email) => attempts[email] !== 1);
            const statuses = await deliveryStatusByEmail(run.database, refused);
            const notFailed = refused.filter((email) => statuses.get(email)?.join() !== 'failed');
            // The next day, as the worker would plan it: nobody refused, everyone else.
            const tomorrow = new Date(Date.now() + DAY_MS);
            await run.plan({ ignoreSendHour: true, runAt: tomorrow.toISOString() });
            const nextDay = await run.database.query<{ email: string }>(
              `SELECT s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
             WHERE d.local_date = ($1::timestamptz AT TIME ZONE s.timezone)::date`,
              [tomorrow.toISOString()],
            );
            const plannedRefused = nextDay.filter((row) => refusedSet.has(row.email)).length;
            const plannedOthers = nextDay.length - plannedRefused;
            return [
              {
                name: 'refused readers tried once',
                ok: notOnce.length === 0,
                detail: `${notOnce.length} tried ≠ 1 time(s), e.g. ${notOnce[0]} ×${attempts[notOnce[0] ?? ''] ?? 0}`,
              },
              {
                name: 'refused readers marked failed',
                ok: notFailed.length === 0,
                detail: `${notFailed.length} not failed, e.g. ${notFailed[0]}: ${statuses.get(notFailed[0] ?? '')?.join() ?? 'no delivery'}`,
              },
              await suppressedExactly(run, refused),
              {
                name: 'next day: none planned for refused readers, all others planned',
                ok: plannedRefused === 0 && plannedOthers === run.readers.length - refused.length,
                detail: `${plannedRefused} refused and ${plannedOthers}/${run.readers.length - refused.length} others planned`,
              },
            ];
          },
        });
      },
    ),
};
