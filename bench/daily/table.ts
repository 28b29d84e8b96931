import type { BenchResults, RunInfo } from './figures.ts';

type Row = [figure: string, value: string, target: string];

const MB = 1024 * 1024;
export const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / MB).toFixed(1)} MB`);
export const fixed = (value: number, digits: number) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Total CPU per digest of what paperboy runs: worker, mailer, Postgres, Redis; never the sink. */
export function cpuTotal(cpu: { worker: number; mailer: number; postgres: number; redis: number }): number {
  return cpu.worker + cpu.mailer + cpu.postgres + cpu.redis;
}

function dailyRows(results: BenchResults): Row[] {
  const daily = results.daily;
  if (!daily) return [['daily path', 'not measured in this run', '']];
  const cpu = daily.cpuMsPerDigest;
  const rows: Row[] = [
    [
      `digests/s end to end (${daily.readers.toLocaleString('en')} readers, run-now → all at the sink)`,
      `${fixed(daily.digestsPerSecond, 0)} (${fixed(daily.seconds, 1)} s)`,
      '≥ 1,000',
    ],
  ];
  const naive = results.naive;
  if (naive) {
    rows.push(
      [
        `naive pipeline digests/s (${naive.readers.toLocaleString('en')} readers)`,
        fixed(naive.digestsPerSecond, 0),
        '',
      ],
      ['paperboy / naive', `${fixed(daily.digestsPerSecond / naive.digestsPerSecond, 1)}×`, '≥ 10×'],
    );
  }
  rows.push(
    ['CPU ms per digest, total (worker + mailer + Postgres + Redis)', fixed(cpuTotal(cpu), 2), '≤ 1.0'],
    ['· worker', fixed(cpu.worker, 2), ''],
    ['· mailer', fixed(cpu.mailer, 2), ''],
    [
      '· Postgres (every postgres process; own backends alone in brackets)',
      `${fixed(cpu.postgres, 2)} (${fixed(cpu.postgresOwnBackends, 2)})`,
      '',
    ],
    ['· Redis (redis-server)', fixed(cpu.redis, 2), ''],
    ['· SMTP sink (not in the total)', fixed(cpu.sink, 2), ''],
    [
      'peak RSS worker / mailer (VmHWM)',
      `${mb(daily.peakRssBytes.worker)} / ${mb(daily.peakRssBytes.mailer)}`,
      '< 300 MB',
    ],
    [
      'Redis used_memory growth during the run (server-wide, sampled)',
      `${mb(daily.redisPeakGrowthBytes)} (server lifetime peak ${mb(daily.redisServerPeakBytes)})`,
      '',
    ],
    [
      'editions / readers per edition',
      `${daily.editions.toLocaleString('en')} / ${fixed(daily.readersPerEdition, 1)}`,
      '',
    ],
    ['bytes per message (at the sink)', fixed(daily.bytesPerMessage, 0), ''],
    [
      'deliveries by status',
      Object.entries(daily.deliveries)
        .map(([status, count]) => `${status} ${count.toLocaleString('en')}`)
        .join(', '),
      '',
    ],
  );
  return rows;
}

function signupRows(results: BenchResults): Row[] {
  const signup = results.signup;
  if (!signup) return [['sign-up', 'not run (--skip-signup)', '≥ 5,000 req/s, p99 < 25 ms']];
  if (signup.status === 'not measured')
    return [['sign-up', `not measured (${signup.reason})`, '≥ 5,000 req/s, p99 < 25 ms']];
  const f = signup.figures;
  return [
    [
      `sign-up req/s (api alone, ${signup.connections} connections)`,
      `${fixed(f.perSecond, 0)} (p50 ${fixed(f.p50Ms, 1)} ms, p99 ${fixed(f.p99Ms, 1)} ms)`,
      '≥ 5,000, p99 < 25 ms',
    ],
    [
      'sign-up durable: 202s / rows / confirmation jobs',
      `${f.accepted.toLocaleString('en')} / ${f.durableRows.toLocaleString('en')} / ${f.confirmationJobs.toLocaleString('en')}`,
      'all equal',
    ],
  ];
}

function planRows(results: BenchResults): Row[] {
  const plan = results.plan;
  if (!plan) return [['planning', 'not measured (npm run bench -- --plan-only)', '< 30 s at 1,000,000']];
  return [
    [
      `plan ${plan.readers.toLocaleString('en')} due readers`,
      `${fixed(plan.seconds, 1)} s (${plan.deliveries.toLocaleString('en')} deliveries, ${plan.composeJobs.toLocaleString('en')} compose jobs queued)`,
      '< 30 s at 1,000,000',
    ],
    [
      'Redis after planning: bench keys (MEMORY USAGE) / used_memory growth',
      `${mb(plan.redisPrefixBytes)} / ${mb(plan.redisGrowthBytes)}`,
      '< 200 MB at 1,000,000',
    ],
  ];
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** A markdown table: header, separator, one line per row, columns padded to line up. */
export function markdownTable(header: Row, rows: Row[]): string {
  const all = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, column) => Math.max(3, ...all.map((row) => [...row[column]!].length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join(' | ')} |`;
  return [line(all[0]!), line(widths.map((width) => '-'.repeat(width))), ...all.slice(1).map(line)].join(
    '\n',
  );
}

const describeRun = (run: RunInfo) =>
  `${run.date} at ${run.commit}, load average ${run.loadAverage.map((value) => value.toFixed(2)).join(' ')}: \`${run.command}\``;

/** The one table of issue 10, then where each part's figures come from. */
export function resultsTable(results: BenchResults): string {
  const rows = [...dailyRows(results), ...signupRows(results), ...planRows(results)];
  const table = markdownTable(['figure', 'value', 'target (issue 10)'], rows);
  const sources = (['daily', 'naive', 'signup', 'plan'] as const).flatMap((section) => {
    const run = results[section]?.run;
    return run ? [`- ${section}: ${describeRun(run)}`] : [];
  });
  const knobs = results.daily?.knobs;
  const settings = knobs
    ? [
        `- settings: WORKER_CONCURRENCY=${knobs.workerConcurrency} MAILER_CONCURRENCY=${knobs.mailerConcurrency} SMTP_POOL_SIZE=${knobs.smtpPoolSize}`,
      ]
    : [];
  const box = results.machine;
  const machine = box
    ? [
        `- machine: ${box.cpus} × ${box.cpuModel}, ${box.memoryGb} GB, Node ${box.node}, PostgreSQL ${box.postgres}, Redis ${box.redis}`,
      ]
    : [];
  return [table, '', ...sources, ...settings, ...machine].join('\n');
}
