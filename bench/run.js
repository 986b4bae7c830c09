#!/usr/bin/env node
// Runs benchmarks: `npm run bench -- import train decode` (default: all). Each prints its figures.
// A bench is a .ts file in this folder; shared code lives in lib/.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
let failed = 0;
for (const name of names.length ? names : all) {
  if (!all.includes(name)) {
    console.error(`unknown bench "${name}" (${all.join(', ')})`);
    process.exit(2);
  }
  console.log(`\n== bench/${name}.ts`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`, ...extra], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
