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
    sendsInFlightPerMailer: 1,
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

  it('allows one same-Message-ID copy per send in flight at each mailer kill, and no more', () => {
    const copies = { 'a@x': ['<1>', '<1>'], 'b@x': ['<2>', '<2>'], 'c@x': ['<3>'] };
    const resent = { ledger: { byStatus: { sent: 3 }, resentAfterCrash: 2 } };
    expect(judge(observe(copies, { ...resent, mailerKills: 2 })).failures).toEqual([]);
    expect(judge(observe(copies, { ...resent, mailerKills: 1, sendsInFlightPerMailer: 2 })).failures).toEqual(
      [],
    );
    expect(judge(observe(copies, { ...resent, mailerKills: 1 })).failures).toEqual([
      '2 same-Message-ID duplicate(s) for 1 mailer kill(s) of 1 sends in flight',
    ]);
  });

  it('fails a same-Message-ID copy the ledger does not count as resent after a crash', () => {
    const copies = { 'a@x': ['<1>', '<1>'], 'b@x': ['<2>'], 'c@x': ['<3>'] };
    expect(judge(observe(copies, { mailerKills: 1 })).failures).toEqual([
      '1 same-Message-ID duplicate(s) but 0 resent after a crash',
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
