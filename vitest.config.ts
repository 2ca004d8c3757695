import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files share one redis-server (each with its own key prefix and queue names) and spawn
    // real processes; two cores cannot run many of them at once.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
