import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after
 * vitest's own summary, so CI logs state how many tests ran in a form any tool reads.
 * Before it, on a run of several files, the slowest files: the suite has a time budget
 * (DEVELOPERS.md), and a file that grows past it shows up here first.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but is a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    if (testModules.length > 1) process.stdout.write(`\n${slowestFiles(testModules, 5)}`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** `slowest files: test/a.test.ts 41.2 s, ...`: import and collection included, as the wall clock sees them. */
export function slowestFiles(testModules: ReadonlyArray<TestModule>, top: number): string {
  const seconds = (m: TestModule) => (m.diagnostic().collectDuration + m.diagnostic().duration) / 1000;
  const slowest = [...testModules].sort((a, b) => seconds(b) - seconds(a)).slice(0, top);
  return `slowest files: ${slowest.map((m) => `${m.relativeModuleId} ${seconds(m).toFixed(1)} s`).join(', ')}\n`;
}
