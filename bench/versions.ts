// Dataset versions at scale (issue 15 #1): on N generated pairs (default 1M), the time and store growth of
// version 1 (a snapshot of the whole head: one member row per pair, no text), a filter version removing 1% in
// one transaction, 1,000 head edits after it (copy-on-write: only those pairs' old text is archived), the diff
// of the two versions, and reading a version whole (what an export or a run's data does).
//   npm run bench -- versions [--pairs=1000000] [--plans]   (--plans: the diff's EXPLAIN QUERY PLAN)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { editPairs } from '../src-main/core/data/pairs.ts';
import { diffVersionRecords, versionDiffPlan } from '../src-main/core/data/version-diff.ts';
import { createVersion, ensureFirstVersion, listVersions } from '../src-main/core/data/versions.ts';
import { iterateVersionPairs } from '../src-main/core/store/dataset-versions.ts';
import { openDb } from '../src-main/core/store/db.ts';

const n = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-versions-'));
const path = join(dir, 'store.db');
const db = openDb(path);
const mb = () => {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(path).size / 2 ** 20;
};
const time = <T>(what: string, f: () => T): T => {
  const before = mb();
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  console.log(`  ${what.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   store +${(mb() - before).toFixed(1)} MB`);
  return out;
};

console.log(
  `versions on ${n.toLocaleString()} pairs (load average ` +
    `${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
);
// The pairs go in by SQL (the import's own speed is bench/import's); the dataset is published without a version.
const now = new Date().toISOString();
const datasetId = Number(
  db.prepare(`INSERT INTO datasets (name, created_at, updated_at) VALUES ('bench', ?, ?)`).run(now, now)
    .lastInsertRowid,
);
const insert = db.prepare(
  'INSERT INTO pairs (dataset_id, ord, source, target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
);
db.transaction(() => {
  for (let i = 1; i <= n; i++)
    insert.run(datasetId, i, `sentence number ${i} of the bench`, `वाक्य संख्या ${i}`, now, now);
})();
console.log(`  head: ${n.toLocaleString()} pairs, store ${mb().toFixed(1)} MB`);

time('version 1 (snapshot of the head)', () => ensureFirstVersion(db, datasetId));
const ids = db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId) as number[];
const remove = ids.filter((_, i) => i % 100 === 0);
const v2 = time(`filter version: remove ${remove.length.toLocaleString()} (one transaction)`, () =>
  createVersion(db, datasetId, { label: 'bench filter', recipe: { kind: 'filter' }, removePairIds: remove }),
);
const edited = ids.filter((_, i) => i % 100 === 1).slice(0, 1000);
time(`${edited.length} head edits (copy-on-write)`, () =>
  editPairs(
    db,
    datasetId,
    'bench edits',
    edited.map((pairId) => ({ op: 'update' as const, pairId, source: `edited ${pairId}` })),
  ),
);
const [v1] = listVersions(db, datasetId);
const d = time('diff v1 -> v2 (counts + first page)', () => diffVersionRecords(db, 'bench', v1, v2));
console.log(`    ${JSON.stringify(d.counts)}`);
// The diff's plan: each version's members EXCEPT the other's, merged along the primary key (no lookup per member).
if (process.argv.includes('--plans')) for (const step of versionDiffPlan(db, v1, v2)) console.log(`    plan: ${step}`);
time('read version 1 whole (export / run data)', () => {
  let k = 0;
  for (const _ of iterateVersionPairs(db, v1.id)) k++;
  return k;
});
db.close();
rmSync(dir, { recursive: true, force: true });
