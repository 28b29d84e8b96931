import { defineConfig } from 'vitest/config';

// Each test file isolates itself (own Postgres schema, own BullMQ prefix), so files run in parallel.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
