#!/usr/bin/env node
// Runs benchmarks: `npm run bench -- import train decode [--option value …]` (default: all). Each prints its figures.
// A bench is a .ts file in this folder; shared code lives in lib/.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { splitBenchArgs } from './lib/split-args.js';

const dir = new URL('.', import.meta.url).pathname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const { names, passed: extra, unknown } = splitBenchArgs(process.argv.slice(2), all);
if (unknown.length) {
  console.error(`unknown bench "${unknown[0]}" (${all.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of names.length ? names : all) {
  console.log(`\n== bench/${name}.ts`);
  // From the checkout, where `--import tsx` resolves (as under `npm run bench`), whatever the caller's folder.
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`, ...extra], {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url).pathname,
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
