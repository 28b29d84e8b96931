// npm run bench: what the daily path costs on this machine, in one table (issue 10). It measures;
// it asserts nothing. Needs the local Postgres and Redis that the tests use. See BENCHMARKS.md.
import { createRedisConnection } from '@paperboy/queue';
import { parseBenchArgs, USAGE } from './args.ts';
import { runDailyPath } from './daily/daily-run.ts';
import type { BenchResults } from './daily/figures.ts';
import { machine, runInfo } from './daily/machine.ts';
import { runNaive } from './daily/naive.ts';
import { runPlanOnly } from './daily/plan-only.ts';
import { mergeResults, RESULTS_FILE, readResults, writeResults } from './daily/results-file.ts';
import { compileServices } from './daily/services.ts';
import { runSignup } from './daily/signup.ts';
import { startCountingSink } from './daily/sink-client.ts';
import { resultsTable } from './daily/table.ts';
import { openWorld } from './daily/world.ts';
import { benchRecovery } from './recovery.bench.ts';
import { benchRendering } from './rendering.bench.ts';

let args: ReturnType<typeof parseBenchArgs>;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

async function measureSignup(
  options: { signupConnections: number; signupSeconds: number },
  command: string,
): Promise<NonNullable<BenchResults['signup']>> {
  const signup = await runSignup({ connections: options.signupConnections, seconds: options.signupSeconds });
  if (signup.status === 'not measured') console.log(`sign-up: not measured (${signup.reason})`);
  return { ...signup, run: runInfo(command) };
}

const started = performance.now();
const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
  ' ',
);
if (args.mode === 'rendering') await benchRendering();
else if (args.mode === 'recovery') await benchRecovery();
else if (args.mode === 'signup') {
  // The sign-up bench compiles, and starts its own api, schema and queue prefix.
  const results: BenchResults = { signup: await measureSignup(args, command) };
  const merged = mergeResults(readResults(), results, 'signup');
  writeResults(merged);
  console.log(`\n${resultsTable(merged)}\n\n(also in ${RESULTS_FILE.pathname})`);
} else {
  if (args.compile) compileServices();
  const world = await openWorld(args.mode === 'plan-only' ? 'bench_plan' : 'bench');
  const redis = createRedisConnection(world.redisUrl);
  const results: BenchResults = { machine: await machine(world.pool, redis) };
  try {
    if (args.mode === 'plan-only') {
      const plan = await runPlanOnly(world, args);
      results.plan = { ...plan, run: runInfo(command) };
      console.log(`plan ${plan.readers.toLocaleString('en')} due readers: ${plan.seconds.toFixed(1)} s`);
    } else {
      const sink = await startCountingSink();
      try {
        const daily = await runDailyPath(world, sink, args);
        results.daily = { ...daily, run: runInfo(command) };
        if (!args.skipNaive) {
          console.log(`naive pipeline for ${args.naiveReaders.toLocaleString('en')} readers …`);
          results.naive = { ...(await runNaive(world.pool, sink, args.naiveReaders)), run: runInfo(command) };
        }
      } finally {
        await sink.stop();
      }
      if (!args.skipSignup) results.signup = await measureSignup(args, command);
    }
  } finally {
    await redis.quit();
    await world.remove();
  }
  const merged = mergeResults(readResults(), results, args.mode);
  writeResults(merged);
  console.log(`\n${resultsTable(merged)}\n\n(also in ${RESULTS_FILE.pathname})`);
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
