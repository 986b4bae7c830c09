import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Files that share their worker's loaded modules (isolate: false): each file in a fresh process pays its whole
 * import again, about 1.0 s of CPU for one that loads the service (1.7 s while the service loaded tfjs, which loads
 * on first use now: DEVELOPERS.md) and about 0.4 s for a small one. These files leave no process-wide state a
 * neighbour could trip on: tfjs, where they use it in the test's process, only on the cpu backend (files that
 * switch to wasm, wasm-blas or webgpu, or count tensors, stay isolated), no environment or spies left set, no
 * timing or heap bound a neighbour could move (data-csv-linear times its reads, inference-process its answers,
 * train-streamed-memory reads the heap: isolated), no browser (e2e files: isolated). A new file is isolated unless
 * it is added here; run `npx vitest run --project shared` after adding one.
 */
const SHARED = [
  'test/ui-*.test.ts',
  'test/config-*.test.ts',
  'test/metrics-*.test.ts',
  'test/text-*.test.ts',
  'test/data-cli-regex.test.ts',
  'test/data-cli.test.ts',
  'test/data-edits.test.ts',
  'test/data-export-safety.test.ts',
  'test/data-formats.test.ts',
  'test/data-import.test.ts',
  'test/data-query-edges.test.ts',
  'test/dataset-versions*.test.ts',
  'test/filters*.test.ts',
  'test/store.test.ts',
  'test/store-open.test.ts',
  'test/ngram-search.test.ts',
  'test/sweep-count.test.ts',
  'test/trainer-exit.test.ts',
  'test/checkpoint-labels.test.ts',
  'test/decode-settings.test.ts',
  'test/electron-shell.test.ts',
  'test/metric-columns.test.ts',
  'test/metric-series-cache.test.ts',
  'test/blas-threads.test.ts',
  'test/bench-args.test.ts',
  // the service and server: they decode in the inference process, not in the test's
  'test/contract-shapes.test.ts',
  'test/compare-split.test.ts',
  'test/channel-access.test.ts',
  'test/server-metrics.test.ts',
  'test/server-regex.test.ts',
  'test/export-while-editing.test.ts',
  'test/service-import-score.test.ts',
  'test/queue-service.test.ts',
  'test/run-lifecycle.test.ts',
  'test/store-concurrency.test.ts',
  'test/server-api.test.ts',
  'test/server-security.test.ts',
  'test/server-serve-cli.test.ts',
  'test/electron-desktop-core.test.ts',
  // in-process tfjs on the cpu backend only (initBackend('cpu'), test/inference-fixtures.ts)
  'test/cartography.test.ts',
  'test/checkpoint-average.test.ts',
  'test/decode-ensemble.test.ts',
  'test/decode-sampling.test.ts',
  'test/export-metrics.test.ts',
  'test/export-model.test.ts',
  'test/inference-detokenize.test.ts',
  'test/inference-evaluate.test.ts',
  'test/inference-translate.test.ts',
  'test/model-init.test.ts',
  'test/model-tied-embeddings.test.ts',
  'test/pair-scores.test.ts',
  'test/pair-scores-service.test.ts',
  'test/server-bounds.test.ts',
  'test/server-fuzz.test.ts',
  'test/service-average.test.ts',
  'test/service-evaluate.test.ts',
  'test/slices.test.ts',
  'test/train-batch-multiplier.test.ts',
  'test/train-init-from.test.ts',
];
export default defineConfig({
  test: {
    // Native addons (better-sqlite3) and tfjs backends are process-global: forks isolate them.
    pool: 'forks',
    // vitest's default (cores - 1) runs one file at a time on 2 cores; the files wait on Chromium, child
    // trainers and the store much of the time, so two at once fit the suite budget there (DEVELOPERS.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: SHARED, isolate: false },
      },
      {
        extends: true,
        test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: SHARED },
      },
    ],
  },
});
