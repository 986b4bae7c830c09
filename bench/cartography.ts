// Dataset cartography on Tatoeba (issue 15): trains the tutorial preset with `cartography` on over the
// Tatoeba pairs (../shared/data/tatoeba-hin-eng.tsv) through the real training job (prepare-run, trainer,
// store recorder), then prints the run's data map: pairs per region, the 20 hardest-to-learn pairs (least
// confident) and the 20 most ambiguous (most variable), each beside the validator's findings for it, and
// how the validator's flagged pairs spread over the regions.
//   npm run bench -- cartography [--epochs N] [--batch N] [--backend B]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildRunConfig } from '../src-main/common/config.ts';
import { validateDataset } from '../src-main/core/data/findings.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { runTrainingJob } from '../src-main/core/runs/job.ts';
import { readCartography } from '../src-main/core/store/cartography.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { createRun, getRun } from '../src-main/core/store/runs.ts';
import type { BackendPreference } from '../src-main/core/tf/backend.ts';
import { TATOEBA_TSV } from './lib/tatoeba-plan.ts';

const { values: o } = parseArgs({
  options: {
    epochs: { type: 'string', default: '12' },
    batch: { type: 'string', default: '16' },
    backend: { type: 'string', default: 'auto' },
    keep: { type: 'boolean', default: false },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'wb-cartography-'));
const dbPath = join(dir, 'experiments.db');
const db = openDb(dbPath);
const { datasetId, pairs } = await importDataset(db, { name: 'tatoeba', files: [TATOEBA_TSV], format: 'tsv' });
// The tutorial preset (valid and test ratios 0: every pair is trained on and mapped), on Tatoeba.
const config = buildRunConfig({
  preset: 'tutorial',
  overrides: { dataset: 'tatoeba', cartography: true, max_epochs: Number(o.epochs), batch_size: Number(o.batch) },
});
const run = createRun(db, { name: 'cartography bench', config, datasetId, preset: 'tutorial' });
console.log(`${pairs} pairs; tutorial preset, ${config.max_epochs} epochs, batch ${config.batch_size}, cartography on`);
const t0 = performance.now();
let lastEpoch = 0;
const status = await runTrainingJob({
  dbPath,
  runId: run.id,
  backend: o.backend as BackendPreference,
  resume: false,
  report: (p) => {
    const epoch = Math.floor(p.epoch ?? 0);
    if (epoch > lastEpoch) {
      lastEpoch = epoch;
      const loss = p.loss === null || p.loss === undefined ? '' : ` loss ${p.loss.toFixed(3)}`;
      console.log(`  epoch ${epoch}${loss}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  },
});
console.log(
  `training ${status} in ${((performance.now() - t0) / 1000).toFixed(0)} s (run ${getRun(db, run.id).status})`,
);

const findings = new Map<number, string[]>();
for (const f of validateDataset(db, datasetId)) findings.set(f.pairId, [...(findings.get(f.pairId) ?? []), f.kind]);
const map = readCartography(db, run.id, { limit: 0 });
const t = map.thresholds;
console.log(
  `\ndata map: ${map.pairs} pairs over ${map.epochs} epochs: easy ${map.regions.easy}, ` +
    `ambiguous ${map.regions.ambiguous}, hard ${map.regions.hard} ` +
    `(ambiguous: variability >= ${t.variability.toFixed(3)}; hard: confidence <= ${t.confidence.toFixed(3)})`,
);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const table = (title: string, rows: typeof map.rows) => {
  console.log(`\n${title}`);
  console.log(' #  pair  conf  var   corr  findings                  source | target');
  rows.forEach((r, i) => {
    const f = (findings.get(r.pairId) ?? []).join(',') || '-';
    const nums = `${r.confidence.toFixed(3)} ${r.variability.toFixed(3)} ${r.correctness.toFixed(2)}`;
    console.log(
      `${String(i + 1).padStart(2)} ${String(r.pairId).padStart(5)}  ${nums}  ${f.padEnd(24)}  ` +
        `${cut(r.source, 50)} | ${cut(r.target, 50)}`,
    );
  });
};
table(
  'top 20 hard-to-learn (region hard, least confident first)',
  readCartography(db, run.id, { region: 'hard', limit: 20 }).rows,
);
const ambiguous = db
  .prepare(
    `SELECT pair_id FROM pair_cartography WHERE run_id = ? AND region = 'ambiguous' ORDER BY variability DESC LIMIT 20`,
  )
  .pluck()
  .all(run.id) as number[];
const ambiguousRows = readCartography(db, run.id, { pairIds: ambiguous }).rows;
ambiguousRows.sort((a, b) => b.variability - a.variability);
table('top 20 ambiguous (most variable first)', ambiguousRows);

// Where the validator's flagged pairs fall, against all pairs.
const regionOf = new Map(
  (
    db.prepare('SELECT pair_id, region FROM pair_cartography WHERE run_id = ?').all(run.id) as Array<{
      pair_id: number;
      region: string;
    }>
  ).map((r) => [r.pair_id, r.region]),
);
const flagged = [...findings.keys()].filter((id) => regionOf.has(id));
const share = (ids: number[], region: string) => ids.filter((id) => regionOf.get(id) === region).length;
console.log(`\nvalidator-flagged pairs in the map: ${flagged.length}`);
for (const region of ['easy', 'ambiguous', 'hard'])
  console.log(
    `  ${region.padEnd(9)} ${String(share(flagged, region)).padStart(4)} of flagged` +
      ` (${((100 * share(flagged, region)) / Math.max(flagged.length, 1)).toFixed(0)}%; all pairs: ` +
      `${((100 * (map.regions as Record<string, number>)[region]) / Math.max(map.pairs, 1)).toFixed(0)}%)`,
  );
const hardest = readCartography(db, run.id, { region: 'hard', limit: 20 }).rows;
console.log(`  of the 20 hardest, flagged by the validator: ${hardest.filter((r) => findings.has(r.pairId)).length}`);
db.close();
if (!o.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`store kept: ${dbPath}`);
