// Fault injection for the store, at length: kill -9 at seeded random moments of
// - an importing or editing process (test/support/store-faults.ts): integrity_check, staged
//   leftovers, partial datasets, pair counts and half-applied edits;
// - an exporting process (test/support/store-faults-export.ts): the file is the old or the new
//   complete export;
// - training (test/support/store-faults-training.ts): the trainer of a tiny run, the trainer of
//   its resume, and the `workbench train` command that launched it; every run then completed or
//   interrupted/failed with a reason, checkpoints listed are on disk, and `runs resume` completes it.
// The suite's twins: test/store-faults.test.ts, test/data-export-safety.test.ts,
// test/store-faults-training.test.ts. Options: --kills=N (imports and edits, about half each;
// default 60), --export-kills=N (default 20), --train-rounds=N (rounds killing a trainer and as
// many killing the CLI, each with a killed resume; default 6), --seed=S (default 1),
// --pairs=N (pairs per import; default 100000), --only=import,edits,export,training.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editFaults, importFaults } from '../test/support/store-faults.ts';
import { exportFaults } from '../test/support/store-faults-export.ts';
import { trainingFaults } from '../test/support/store-faults-training.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const kills = arg('kills', 60);
const exportKills = arg('export-kills', 20);
const trainRounds = arg('train-rounds', 6);
const seed = arg('seed', 1);
const pairs = arg('pairs', 100_000);
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const doing = (kind: string) => !only || only.includes(kind);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-faults-'));

let total = 0;
let problems = 0;
const timed = async <T>(
  name: string,
  work: () => Promise<T>,
  line: (r: T) => [killed: number, text: string, problems: string[]],
) => {
  const t0 = performance.now();
  const r = await work();
  const [killed, text, found] = line(r);
  console.log(`${name}: ${text}; ${found.length} problems (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const p of found) console.log(`  ${p}`);
  total += killed;
  problems += found.length;
};

const t0 = performance.now();
if (doing('import')) {
  await timed(
    'import',
    () => importFaults(dir, { kills: Math.ceil(kills / 2), pairs, seed }),
    (r) => [
      r.kills,
      `${r.kills} killed mid-work, ${r.finished} finished before the ` +
        `kill; longest open after a kill ${r.maxOpenMs.toFixed(0)} ms`,
      r.problems,
    ],
  );
}
if (doing('edits')) {
  await timed(
    'edits',
    () => editFaults(dir, { kills: Math.floor(kills / 2), pairs: 5_000, maxDelayMs: 400, seed }),
    (r) => [
      r.kills,
      `${r.kills} killed mid-work, ${r.finished} finished before the ` +
        `kill; longest open after a kill ${r.maxOpenMs.toFixed(0)} ms`,
      r.problems,
    ],
  );
}
if (doing('export')) {
  await timed(
    'export',
    () => exportFaults(dir, { kills: exportKills, pairs: 20_000, seed }),
    (r) => [r.kills, `${r.kills} killed, ${r.midWrite} of them mid-write`, r.problems],
  );
}
if (doing('training')) {
  await timed(
    'training',
    () => trainingFaults(dir, { rounds: { trainer: trainRounds, cli: trainRounds }, epochs: 12, seed }),
    (r) => {
      const k = r.kills.trainer + r.kills.resume + r.kills.cli;
      const outcomes = Object.entries(r.outcomes)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ');
      const finals = Object.entries(r.finalStatuses)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ');
      return [
        k,
        `${k} killed before the run completed (trainer ${r.kills.trainer}, ` +
          `resume ${r.kills.resume}, CLI ${r.kills.cli}), ` +
          `${r.finished} after; left ${outcomes}; ${r.resumed} completed by runs resume; runs at the end: ${finals}`,
        r.problems,
      ];
    },
  );
}
console.log(`${total} kills in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${seed}), ${problems} problems`);
rmSync(dir, { recursive: true, force: true });
if (problems > 0) process.exitCode = 1;
