import { defineConfig } from 'vitest/config';

// Each test file isolates itself (own Postgres schema, own BullMQ prefix), so files run in parallel.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The compiled build, once, for the tests that start the CLI or a service as a process.
    globalSetup: ['test/support/compile.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Most of the suite's time was importing the same modules (bullmq, fastify, mjml, pg, the
    // packages) once per file. No test mocks modules, stubs globals or changes process.env, and
    // every file owns its schema, prefix and ports, so files share a worker's module cache.
    isolate: false,
  },
});
