import { createVersion } from '../../src-main/core/data/versions.ts';
import { getDataset } from '../../src-main/core/store/datasets.ts';
import { openDb } from '../../src-main/core/store/db.ts';

/**
 * Child of test/dataset-versions-kill: starts createVersion (removing two pairs, then snapshotting the head) and
 * is killed (SIGKILL, by itself) in the middle of writing the new version's members, after the removal ran:
 * what a power cut or a kill at that moment leaves.
 *   DB NAME   the store and the dataset
 */
const [dbPath, name] = process.argv.slice(2);
const db = openDb(dbPath);
const ds = getDataset(db, name);
const ids = db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord').pluck().all(ds.id) as number[];
db.function('die', () => process.kill(process.pid, 'SIGKILL'));
// This connection only: the hundredth member row of a version other than 1 kills the process.
db.exec(`CREATE TEMP TRIGGER die_midway AFTER INSERT ON version_members
  WHEN NEW.version_id <> (SELECT min(id) FROM dataset_versions) AND NEW.pair_id = ${ids[100]}
  BEGIN SELECT die(); END`);
createVersion(db, ds.id, { label: 'killed', recipe: { kind: 'filter' }, removePairIds: ids.slice(0, 2) });
process.stdout.write('finished: the kill did not happen\n');
