// Fault injection for the store, at length: kill -9 of an importing or editing process at
// seeded random moments, then integrity_check, staged leftovers, partial datasets, pair
// counts and half-applied edits (test/support/store-faults.ts). The suite's twin is
// test/store-faults.test.ts. Options: --kills=N (about half imports, half edits; default 60),
// --seed=S (default 1), --pairs=N (pairs per import; default 100000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editFaults, importFaults } from '../test/support/store-faults.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const kills = arg('kills', 60);
const seed = arg('seed', 1);
const pairs = arg('pairs', 100_000);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-faults-'));

const t0 = performance.now();
const imports = await importFaults(dir, { kills: Math.ceil(kills / 2), pairs, seed });
const edits = await editFaults(dir, { kills: Math.floor(kills / 2), pairs: 5_000, maxDelayMs: 400, seed });
const s = (performance.now() - t0) / 1000;
for (const [name, r] of [['import', imports], ['edits', edits]] as const) {
  console.log(
    `${name}: ${r.kills} killed mid-work, ${r.finished} finished before the kill; ${r.problems.length} problems; longest open after a kill ${r.maxOpenMs.toFixed(0)} ms`,
  );
  for (const p of r.problems) console.log(`  ${p}`);
}
console.log(`${imports.kills + edits.kills} kills in ${s.toFixed(1)} s (seed ${seed})`);
rmSync(dir, { recursive: true, force: true });
if (imports.problems.length + edits.problems.length > 0) process.exitCode = 1;
