// The chaos suite's judge, alone: fast and pure, so it runs with `npm test` (the suite itself does not).
import { describe, expect, it } from 'vitest';
import { judge, type Observation } from './verdict.ts';

const ledger = { byStatus: { sent: 3 }, resentAfterCrash: 0 };

function observe(accepted: Observation['accepted'], extra: Partial<Observation> = {}): Observation {
  return {
    scenario: 's',
    expected: ['a@x', 'b@x', 'c@x'],
    accepted,
    ledger,
    mailerKills: 0,
    checks: [],
    ...extra,
  };
}

describe('the chaos verdict', () => {
  it('passes one digest per expected reader', () => {
    const row = judge(observe({ 'a@x': ['<1>'], 'b@x': ['<2>'], 'c@x': ['<3>'] }));
    expect(row).toMatchObject({ delivered: 3, expected: 3, missing: 0, duplicates: 0, failures: [] });
  });

  it('fails on any reader without a digest', () => {
    const row = judge(observe({ 'a@x': ['<1>'], 'b@x': ['<2>'] }));
    expect(row.missing).toBe(1);
    expect(row.failures).toEqual(['1 reader(s) got no digest']);
  });

  it('allows one same-Message-ID copy per mailer kill, and no more', () => {
    const copies = { 'a@x': ['<1>', '<1>'], 'b@x': ['<2>', '<2>'], 'c@x': ['<3>'] };
    expect(judge(observe(copies, { mailerKills: 2 })).failures).toEqual([]);
    expect(judge(observe(copies, { mailerKills: 1 })).failures).toEqual([
      '2 same-Message-ID duplicate(s) for 1 mailer kill(s)',
    ]);
  });

  it('never allows a copy with a new Message-ID, kills or not', () => {
    const row = judge(observe({ 'a@x': ['<1>', '<9>'], 'b@x': ['<2>'], 'c@x': ['<3>'] }, { mailerKills: 3 }));
    expect(row).toMatchObject({ duplicates: 1, sameIdDuplicates: 0 });
    expect(row.failures).toEqual(['1 duplicate(s) with a new Message-ID']);
  });

  it('fails when a refused reader got a digest, and lists failed scenario checks', () => {
    const row = judge(
      observe(
        { 'a@x': ['<1>'], 'b@x': ['<2>'], 'c@x': ['<3>'], 'gone@x': ['<4>'] },
        {
          forbidden: ['gone@x'],
          checks: [{ name: 'nobody suppressed', ok: false, detail: '3 hard-bounce' }],
        },
      ),
    );
    expect(row.failures).toEqual([
      '1 refused reader(s) got a digest anyway',
      'nobody suppressed: 3 hard-bounce',
    ]);
  });
});
