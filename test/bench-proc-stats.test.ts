import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../bench/args.ts';
import type { BenchResults } from '../bench/daily/figures.ts';
import { cpuTicksByGroup, parsePeakRss, parseProcStat } from '../bench/daily/proc-stats.ts';
import { infoField } from '../bench/daily/redis-memory.ts';
import { mergeResults } from '../bench/daily/results-file.ts';
import { BENCH_TOPICS, BENCH_ZONES, readerMix } from '../bench/daily/seed.ts';
import { markdownTable, resultsTable } from '../bench/daily/table.ts';

// The pure parts of `npm run bench`: what it reads from /proc and Redis, and what it prints.
describe('the benchmark’s readings and table', () => {
  it('reads CPU ticks and start time from a /proc/<pid>/stat line, even when comm has spaces and parentheses', () => {
    const line =
      '4242 (postgres: (bench) x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 731 269 0 0 20 0 1 0 98765 228118528 5000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'postgres: (bench) x',
      cpuTicks: 1000,
      startTime: 98765,
    });
    expect(() => parseProcStat('not a stat line')).toThrow(/not a \/proc/);
  });

  it('reads the peak resident set from /proc/<pid>/status', () => {
    expect(parsePeakRss('Name:\tnode\nVmPeak:\t 999 kB\nVmHWM:\t  355000 kB\nVmRSS:\t 1 kB\n')).toBe(
      355000 * 1024,
    );
    expect(parsePeakRss('Name:\tkthreadd\n')).toBeNull();
  });

  it('counts a process from the window’s first sample, a newcomer from zero, and one that left up to its last sample', () => {
    const totals = cpuTicksByGroup([
      { group: 'postgres', baseline: 500, last: 650 }, // ran throughout
      { group: 'postgres', baseline: 0, last: 40 }, // a backend started inside the window
      { group: 'postgres', baseline: 100, last: 110 }, // exited after this reading
      { group: 'worker', baseline: 2000, last: 2300 },
    ]);
    expect(totals).toEqual({ postgres: 200, worker: 300 });
  });

  it('reads a field of INFO', () => {
    const info = '# Memory\r\nused_memory:1048576\r\nused_memory_peak:3145728\r\n';
    expect(infoField(info, 'used_memory')).toBe('1048576');
    expect(infoField(info, 'used_memory_peak')).toBe('3145728');
    expect(infoField(info, 'maxmemory')).toBeNull();
  });

  it('seeds the same mix every time: 20 zones, 0–3 topics from the vocabulary, 5–15 papers', () => {
    const mix = readerMix(2_000);
    expect(readerMix(2_000)).toEqual(mix);
    expect(new Set(mix.zones).size).toBe(BENCH_ZONES.length);
    expect(Math.min(...mix.paperCounts)).toBe(5);
    expect(Math.max(...mix.paperCounts)).toBe(15);
    const topicCounts = mix.topics.map((literal) => (literal === '{}' ? 0 : literal.split(',').length));
    expect(new Set(topicCounts)).toEqual(new Set([0, 1, 2, 3]));
    for (const literal of mix.topics.slice(0, 50))
      for (const topic of literal.slice(1, -1).split(',').filter(Boolean))
        expect(BENCH_TOPICS).toContain(topic.replace(/"/g, ''));
  });

  it('takes readers and knobs from flags, then the environment, then its defaults', () => {
    const args = parseBenchArgs(['--readers', '5,000', '--env', 'SEND_ATTEMPTS=2'], {
      MAILER_CONCURRENCY: '30',
    });
    expect(args).toMatchObject({
      mode: 'daily',
      readers: 5000,
      naiveReaders: 2000,
      knobs: { workerConcurrency: 8, mailerConcurrency: 30, smtpPoolSize: 10 },
      extraEnv: { SEND_ATTEMPTS: '2' },
    });
    expect(parseBenchArgs(['--plan-only'], {})).toMatchObject({ mode: 'plan-only', readers: 1_000_000 });
    expect(parseBenchArgs(['--only', 'signup', '--signup-seconds', '20'], {})).toMatchObject({
      mode: 'signup',
      signupSeconds: 20,
    });
    expect(() => parseBenchArgs(['--only', 'everything'], {})).toThrow(/--only takes signup/);
    expect(() => parseBenchArgs(['--readers', 'many'], {})).toThrow(/--readers/);
  });

  it('lines up a markdown table and escapes pipes in cells', () => {
    expect(markdownTable(['a', 'bb', 'c'], [['x|y', '1', '']])).toBe(
      ['| a    | bb  | c   |', '| ---- | --- | --- |', '| x\\|y | 1   |     |'].join('\n'),
    );
  });

  it('prints one table with the total CPU per digest without the sink, and says what was not measured', () => {
    const run = {
      date: '2026-12-02T06:00:00Z',
      commit: 'abc1234',
      command: 'npm run bench',
      loadAverage: [1, 2, 3] as [number, number, number],
    };
    const results: BenchResults = {
      daily: {
        run,
        readers: 20_000,
        knobs: { workerConcurrency: 8, mailerConcurrency: 50, smtpPoolSize: 10 },
        seedSeconds: 1,
        seconds: 100,
        digestsPerSecond: 200,
        messages: 20_000,
        cpuMsPerDigest: { worker: 1, mailer: 4, postgres: 3, postgresOwnBackends: 2, redis: 0.5, sink: 0.7 },
        peakRssBytes: { worker: 350 * 1024 * 1024, mailer: null },
        redisPeakGrowthBytes: 30 * 1024 * 1024,
        redisServerPeakBytes: 60 * 1024 * 1024,
        editions: 9_000,
        readersPerEdition: 2.2,
        deliveries: { sent: 20_000 },
        bytesPerMessage: 40_000,
        warnings: 0,
      },
      naive: { run, readers: 2_000, seconds: 20, digestsPerSecond: 100, bytesPerMessage: 30_000 },
      signup: { run, status: 'not measured', reason: 'bench/signup.bench.ts missing' },
    };
    const table = resultsTable(results);
    expect(table).toMatch(/\| CPU ms per digest, total[^|]*\| 8\.50 /);
    expect(table).toMatch(/\| paperboy \/ naive +\| 2\.0× /);
    expect(table).toContain('350.0 MB / n/a');
    expect(table).toContain('not measured (bench/signup.bench.ts missing)');
    expect(table).toContain('not measured (npm run bench -- --plan-only)');
  });

  it('keeps the last planning figures through a daily run, but never a stale naive figure', () => {
    const run = { date: 'd', commit: 'c', command: 'x', loadAverage: [0, 0, 0] as [number, number, number] };
    const plan = {
      run,
      readers: 1,
      seedSeconds: 1,
      seconds: 1,
      deliveries: 1,
      composeJobs: 1,
      redisPrefixBytes: 1,
      redisPrefixKeys: 1,
      redisGrowthBytes: 1,
    };
    const naive = { run, readers: 1, seconds: 1, digestsPerSecond: 1, bytesPerMessage: 1 };
    expect(mergeResults({ plan, naive }, {}, 'daily')).toEqual({ plan });
    expect(mergeResults({ naive }, { plan }, 'plan-only')).toEqual({ naive, plan });
  });

  it('replaces only the sign-up figures in a sign-up-only run', () => {
    const run = { date: 'd', commit: 'c', command: 'x', loadAverage: [0, 0, 0] as [number, number, number] };
    const naive = { run, readers: 1, seconds: 1, digestsPerSecond: 1, bytesPerMessage: 1 };
    const before = { run, status: 'not measured' as const, reason: 'old' };
    const after = { run, status: 'not measured' as const, reason: 'new' };
    expect(mergeResults({ naive, signup: before }, { signup: after }, 'signup')).toEqual({
      naive,
      signup: after,
    });
  });
});
