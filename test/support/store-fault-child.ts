import { importDataset } from '../../src-main/core/data/import.ts';
import { editPairs, redo, undo, type PairChange } from '../../src-main/core/data/pairs.ts';
import { Rng } from '../../src-main/core/rng.ts';
import { getDataset } from '../../src-main/core/store/datasets.ts';
import { openDb } from '../../src-main/core/store/db.ts';

/**
 * Child process of the store fault-injection test and bench (store-faults.ts), killed
 * with SIGKILL at a random moment. Prints "go" when its store work begins.
 *   import DB FILE NAME   imports FILE as dataset NAME, prints "done"
 *   edits DB NAME SEED    edits blocks of pairs of NAME forever: each edit sets every
 *                         target of one block to one new value, or deletes the block;
 *                         undo and redo in between
 */
const [mode, dbPath, ...rest] = process.argv.slice(2);
const db = openDb(dbPath);
if (mode === 'import') {
  const [file, name] = rest;
  process.stdout.write('go\n');
  await importDataset(db, { name, files: [file] });
  process.stdout.write('done\n');
} else if (mode === 'edits') {
  const [name, seed] = rest;
  const ds = getDataset(db, name);
  const blocks = db
    .prepare(`SELECT DISTINCT substr(source, 1, instr(source, ' ') - 1) AS b FROM pairs WHERE dataset_id = ?`)
    .pluck()
    .all(ds.id) as string[];
  const idsOf = db.prepare(`SELECT id FROM pairs WHERE dataset_id = ? AND source LIKE ? || ' %'`).pluck();
  const rng = new Rng(Number(seed));
  process.stdout.write('go\n');
  for (let k = 1; ; k++) {
    const r = rng.next();
    if (r < 0.2) undo(db, ds.id);
    else if (r < 0.3) redo(db, ds.id);
    else {
      const block = blocks[rng.int(blocks.length)];
      const ids = idsOf.all(ds.id, block) as number[];
      if (ids.length === 0) continue;
      const changes: PairChange[] =
        r < 0.4
          ? ids.map((pairId) => ({ op: 'delete', pairId }))
          : ids.map((pairId) => ({ op: 'update', pairId, target: `${block} v${k}` }));
      editPairs(db, ds.id, `edit ${k}`, changes);
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
