// npm run bench: prints what the daily path costs on this machine, as figures and ratios.
// It measures; it asserts nothing. Needs the local Postgres and Redis that the tests use.
import { benchComposeAndSend } from './daily-path.bench.ts';
import { benchRecovery } from './recovery.bench.ts';
import { benchRendering } from './rendering.bench.ts';

const started = performance.now();
await benchRendering();
await benchComposeAndSend();
await benchRecovery();
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
