import { finish, type Scenario, withRun } from './common.ts';

export const baseline: Scenario = {
  name: 'baseline',
  summary: 'nothing goes wrong: one plan, every reader gets one digest',
  run: (settings) =>
    withRun(settings, { label: 'baseline', readers: { count: settings.readers } }, async (run) => {
      await run.plan({ ignoreSendHour: true });
      return finish(run, { scenario: 'baseline' });
    }),
};
