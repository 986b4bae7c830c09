import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importDataset } from '../src-main/core/data/import.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';

// A dataset export streams its pairs to a file, yielding to the event loop between chunks: edits sent
// meanwhile must go through. They failed with "This database connection is busy executing a query" while the
// export's read statement stayed open on the service's one connection.
let dir: string;
let db: Db;
let service: WorkbenchService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-export-edit-'));
  const lines = Array.from({ length: 15_000 }, (_, i) => `sentence number ${i} of the river\tनदी ${i} है`);
  writeFileSync(join(dir, 'd.tsv'), lines.join('\n') + '\n');
  const dbPath = join(dir, 'e.db');
  db = openDb(dbPath);
  await importDataset(db, { name: 'big', files: [join(dir, 'd.tsv')], format: 'tsv' });
  service = new WorkbenchService({ db, dbPath, door: 'browser', emit: () => {}, runQueue: false });
});

afterAll(() => {
  service?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('edits made while a dataset export streams go through, and the export completes', async () => {
  const exported = service.dispatch('datasets.export', { name: 'big', format: 'tsv' });
  const errors: string[] = [];
  let edits = 0;
  for (let k = 0; k < 10; k++) {
    await new Promise((r) => setTimeout(r, 2));
    const change = { op: 'update' as const, pairId: 5, target: `नदी ${k}` };
    await service.dispatch('pairs.edit', { name: 'big', label: `edit ${k}`, changes: [change] }).then(
      () => edits++,
      (err: Error) => errors.push(err.message),
    );
  }
  expect(errors).toEqual([]);
  expect(edits).toBe(10);
  const file = (await exported) as { fileName: string; base64: string };
  const text = Buffer.from(file.base64, 'base64').toString('utf8');
  expect(text.trim().split('\n')).toHaveLength(15_001); // the header and every pair
});
