import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../src-main/core/data/import.ts';
import { editPairs, listPairs } from '../src-main/core/data/pairs.ts';
import { openDb } from '../src-main/core/store/db.ts';

/** Paging and tag filters take any value a user can type: wildcards are text, a huge offset is refused by name. */
async function store() {
  const dir = mkdtempSync(join(tmpdir(), 'wb-query-'));
  const dbPath = join(dir, 'x.db');
  const db = openDb(dbPath);
  const f = join(dir, 'a.tsv');
  writeFileSync(f, 'one\tएक\ntwo\tदो\nthree\tतीन\n');
  const { datasetId } = await importDataset(db, { name: 'a', files: [f] });
  const ids = listPairs(db, datasetId).rows.map((r) => r.id);
  editPairs(db, datasetId, 'tag', [
    { op: 'update', pairId: ids[0], tags: 'review later' },
    { op: 'update', pairId: ids[1], tags: '50%_done' },
  ]);
  return { db, dbPath, datasetId, ids };
}

describe('dataset show filters', () => {
  it('a tag is matched as a whole word, literally: % and _ are not wildcards', async () => {
    const { db, datasetId, ids } = await store();
    expect(listPairs(db, datasetId, { tag: '%' }).total).toBe(0);
    expect(listPairs(db, datasetId, { tag: '_' }).total).toBe(0);
    expect(listPairs(db, datasetId, { tag: 're%' }).total).toBe(0);
    expect(listPairs(db, datasetId, { tag: '50%_done' }).rows.map((r) => r.id)).toEqual([ids[1]]);
    expect(listPairs(db, datasetId, { tag: 'later' }).rows.map((r) => r.id)).toEqual([ids[0]]);
    expect(listPairs(db, datasetId, { tag: 'Later' }).total).toBe(0); // tags are case-sensitive, as stored
  });

  it('an offset or limit beyond a safe integer is refused naming the field (not an internal error)', async () => {
    const { db, datasetId } = await store();
    expect(() => listPairs(db, datasetId, { offset: 1e20 })).toThrow(
      expect.objectContaining({ code: 'bad_input', where: { field: 'offset' } }),
    );
    expect(() => listPairs(db, datasetId, { limit: 1e20 })).toThrow(
      expect.objectContaining({ code: 'bad_input', where: { field: 'limit' } }),
    );
    expect(listPairs(db, datasetId, { offset: 2 ** 40 }).rows).toEqual([]); // past the end: an empty page
  });

  it("the CLI reports --offset 1e20 as the user's error", async () => {
    const { dbPath } = await store();
    const r = spawnSync(
      process.execPath,
      ['bin/workbench.js', '--db', dbPath, 'dataset', 'show', 'a', '--offset', '1e20'],
      { encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('offset must be a whole number from 0 to');
    expect(r.stderr).not.toMatch(/internal/i);
  }, 30_000);
});
