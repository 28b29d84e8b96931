import { parseArgs } from 'node:util';
import { DEFAULT_KNOBS, type Knobs } from './daily/service-env.ts';

export const USAGE = `npm run bench -- [options]

  --readers N               readers of the daily run (default 20,000; with --plan-only 1,000,000)
  --plan-only               seed due readers and time only the plan job (no composing, no sending)
  --naive-readers N         readers the naive pipeline sends to (default min(readers, 2,000))
  --skip-naive              leave the naive pipeline out (and with it the ratio)
  --skip-signup             leave the sign-up benchmark out
  --signup-connections N    concurrent connections of the sign-up benchmark (default 50)
  --signup-seconds N        how long it runs (default 10)
  --worker-concurrency N    WORKER_CONCURRENCY (default: $WORKER_CONCURRENCY, else ${DEFAULT_KNOBS.workerConcurrency})
  --mailer-concurrency N    MAILER_CONCURRENCY (default: $MAILER_CONCURRENCY, else ${DEFAULT_KNOBS.mailerConcurrency})
  --smtp-pool-size N        SMTP_POOL_SIZE (default: $SMTP_POOL_SIZE, else ${DEFAULT_KNOBS.smtpPoolSize})
  --env KEY=VALUE           any other setting for worker and mailer (repeatable)
  --no-compile              use the existing dist/ instead of running npm run compile first
  --only signup             only the sign-up benchmark (keeps the other figures of the last run)
  --only rendering|recovery the older micro-benchmarks instead of the daily run`;

export interface BenchArgs {
  mode: 'daily' | 'plan-only' | 'signup' | 'rendering' | 'recovery';
  readers: number;
  naiveReaders: number;
  skipNaive: boolean;
  skipSignup: boolean;
  signupConnections: number;
  signupSeconds: number;
  knobs: Knobs;
  extraEnv: Record<string, string>;
  compile: boolean;
}

function whole(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/[,_]/g, ''));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

/** Parses the command line (and the three knobs' environment variables); throws on a mistake. */
export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      readers: { type: 'string' },
      'plan-only': { type: 'boolean', default: false },
      'naive-readers': { type: 'string' },
      'skip-naive': { type: 'boolean', default: false },
      'skip-signup': { type: 'boolean', default: false },
      'signup-connections': { type: 'string' },
      'signup-seconds': { type: 'string' },
      'worker-concurrency': { type: 'string' },
      'mailer-concurrency': { type: 'string' },
      'smtp-pool-size': { type: 'string' },
      env: { type: 'string', multiple: true, default: [] },
      'no-compile': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const only = values.only;
  if (only !== undefined && only !== 'signup' && only !== 'rendering' && only !== 'recovery')
    throw new Error(`--only takes signup, rendering or recovery, got "${only}"`);
  const mode = only ?? (values['plan-only'] ? 'plan-only' : 'daily');
  const readers = whole('--readers', values.readers, mode === 'plan-only' ? 1_000_000 : 20_000);
  const extraEnv: Record<string, string> = {};
  for (const pair of values.env) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new Error(`--env takes KEY=VALUE, got "${pair}"`);
    extraEnv[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return {
    mode,
    readers,
    naiveReaders: whole('--naive-readers', values['naive-readers'], Math.min(readers, 2_000)),
    skipNaive: values['skip-naive'],
    skipSignup: values['skip-signup'],
    signupConnections: whole('--signup-connections', values['signup-connections'], 50),
    signupSeconds: whole('--signup-seconds', values['signup-seconds'], 10),
    knobs: {
      workerConcurrency: whole(
        '--worker-concurrency',
        values['worker-concurrency'] ?? env.WORKER_CONCURRENCY,
        DEFAULT_KNOBS.workerConcurrency,
      ),
      mailerConcurrency: whole(
        '--mailer-concurrency',
        values['mailer-concurrency'] ?? env.MAILER_CONCURRENCY,
        DEFAULT_KNOBS.mailerConcurrency,
      ),
      smtpPoolSize: whole(
        '--smtp-pool-size',
        values['smtp-pool-size'] ?? env.SMTP_POOL_SIZE,
        DEFAULT_KNOBS.smtpPoolSize,
      ),
    },
    extraEnv,
    compile: !values['no-compile'],
  };
}
