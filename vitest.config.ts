import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // isolated-vm needs V8's startup snapshot off; forks keep native addons out of worker threads.
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Real brokers, SQLite files and Chromium share 2 cores: keep the parallelism modest.
    maxWorkers: 2,
    // The JSON report feeds the one-line totals that CI reads (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
