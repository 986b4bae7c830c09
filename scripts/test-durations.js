#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Per-file durations of one test run, slowest first, from vitest's JSON report: the figures
 * DEVELOPERS.md's suite budget is kept with.
 *   npx vitest run --reporter=default --reporter=json --outputFile.json=/tmp/vitest.json
 *   node scripts/test-durations.js /tmp/vitest.json [TOP]
 */
const [report, top = '25'] = process.argv.slice(2);
if (!report) {
  console.error('usage: node scripts/test-durations.js VITEST_JSON_REPORT [TOP]');
  process.exit(2);
}
const { testResults, startTime } = JSON.parse(readFileSync(report, 'utf8'));
const files = testResults
  .map((f) => ({
    file: relative(process.cwd(), f.name),
    seconds: (f.endTime - f.startTime) / 1000,
    tests: f.assertionResults.length,
    failed: f.assertionResults.filter((t) => t.status === 'failed').length,
  }))
  .sort((a, b) => b.seconds - a.seconds);
const wall = (Math.max(...testResults.map((f) => f.endTime)) - startTime) / 1000;
const sum = files.reduce((t, f) => t + f.seconds, 0);
for (const f of files.slice(0, Number(top))) {
  const failed = f.failed ? `, ${f.failed} failed` : '';
  console.log(`${f.seconds.toFixed(1).padStart(8)} s  ${f.file} (${f.tests} tests${failed})`);
}
console.log(`${files.length} files; ${sum.toFixed(0)} s in files, ${wall.toFixed(0)} s wall clock`);
