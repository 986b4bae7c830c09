import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native addons (better-sqlite3) and tfjs backends are process-global: forks isolate them.
    pool: 'forks',
    // vitest's default (cores - 1) runs one file at a time on 2 cores; the files wait on Chromium, child
    // trainers and the store much of the time, so two at once fit the suite budget there (DEVELOPERS.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
