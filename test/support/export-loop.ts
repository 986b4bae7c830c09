import { exportDataset } from '../../src-main/core/data/export.ts';
import { openDb } from '../../src-main/core/store/db.ts';

/**
 * Child process of the kill -9 export test: exports datasets "a" and "b" in turn to
 * one target, forever, printing a line after each completed export, until killed.
 * usage: node --import tsx test/support/export-loop.ts DB TARGET FORMAT
 */
const [dbPath, target, format] = process.argv.slice(2);
const db = openDb(dbPath);
for (let i = 0; ; i++) {
  await exportDataset(db, i % 2 === 0 ? 'a' : 'b', target, format as 'tsv' | 'moses');
  process.stdout.write(`exported ${i}\n`);
}
