import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { exportDataset } from '../src-main/core/data/export.ts';
import { validateDataset } from '../src-main/core/data/findings.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { editPairs, listPairs, redo, undo } from '../src-main/core/data/pairs.ts';
import { createSplit, loadSplitPairs } from '../src-main/core/data/splits.ts';
import { iteratePairs } from '../src-main/core/store/datasets.ts';
import { openDb } from '../src-main/core/store/db.ts';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-data-'));
const pairsOf = (db: ReturnType<typeof openDb>, id: number) =>
  [...iteratePairs(db, id)].map((p) => [p.source, p.target]);

describe('dataset import and export', () => {
  it('imports Tatoeba (header skipped) and round-trips through every format', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    const r = await importDataset(db, { name: 'tatoeba', files: [TATOEBA] });
    expect(r.pairs).toBe(209);
    const original = pairsOf(db, r.datasetId);
    for (const format of ['tsv', 'csv', 'jsonl', 'moses'] as const) {
      const file = join(dir, `out.${format}`);
      const { files } = await exportDataset(db, 'tatoeba', file, format);
      const again = await importDataset(db, { name: `again-${format}`, files, format });
      expect(pairsOf(db, again.datasetId)).toEqual(original);
      // The attribution column survives too, except in line-aligned files, which have no place for it.
      if (format !== 'moses')
        expect([...iteratePairs(db, again.datasetId)].map((p) => p.meta)).toEqual(
          [...iteratePairs(db, r.datasetId)].map((p) => p.meta),
        );
    }
  });

  it('a bad line in the middle names file and line and leaves the store exactly as before', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    await importDataset(db, { name: 'first', files: [TATOEBA] });
    const before = db.prepare('SELECT count(*) AS n FROM pairs').get();
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'hello\tनमस्ते\nno tab on this line\nthanks\tधन्यवाद\n');
    await expect(importDataset(db, { name: 'bad', files: [bad] })).rejects.toThrow(
      `${bad}:2: expected at least 2 tab-separated fields`,
    );
    expect(db.prepare('SELECT count(*) AS n FROM pairs').get()).toEqual(before);
    expect(db.prepare("SELECT count(*) AS n FROM datasets WHERE name = 'bad'").get()).toEqual({ n: 0 });
    const skipped = await importDataset(db, { name: 'bad', files: [bad], skipBad: true });
    expect([skipped.pairs, skipped.skipped.map((s) => s.line)]).toEqual([2, [2]]);
    const utf = join(dir, 'utf.tsv');
    writeFileSync(utf, Buffer.concat([Buffer.from('ok\tठीक\n'), Buffer.from([0x61, 0x09, 0xff, 0x0a])]));
    await expect(importDataset(db, { name: 'utf', files: [utf] })).rejects.toThrow(':2: invalid UTF-8');
  });

  it('kill -9 during a large import leaves an intact store with no partial dataset', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'kill.db');
    const big = join(dir, 'big.tsv');
    const out = createWriteStream(big);
    // 1M lines, written 10k lines per chunk (a write per line would dominate the test's time).
    for (let c = 0; c < 100; c++) {
      let chunk = '';
      for (let i = c * 10_000; i < (c + 1) * 10_000; i++) chunk += `sentence number ${i}\tवाक्य संख्या ${i}\n`;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise((r) => out.end(r));
    openDb(dbPath).close();
    const child = spawn(
      process.execPath,
      ['bin/workbench.js', '--db', dbPath, 'dataset', 'import', big, '--name', 'big'],
      { stdio: 'ignore' },
    );
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));
    // Kill once the import is well under way: rows are being written to the WAL.
    while (!existsSync(`${dbPath}-wal`) || statSync(`${dbPath}-wal`).size < 4 << 20)
      await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL'); // killed mid-import, not finished
    const db = openDb(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) AS n FROM pairs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM datasets').get()).toEqual({ n: 0 });
    // The store is usable afterwards: the same name imports cleanly.
    const again = await importDataset(db, { name: 'big', files: [TATOEBA] });
    expect(again.pairs).toBe(209);
  }, 60_000);
});

describe('findings, splits, edits', () => {
  it('flags the Latin-I dandas and the ZWJ line of Tatoeba', async () => {
    const db = openDb(join(tmp(), 'x.db'));
    const r = await importDataset(db, { name: 't', files: [TATOEBA] });
    const f = validateDataset(db, r.datasetId);
    const latin = f.filter((x) => x.kind === 'latin_danda');
    const targets = latin.map(
      (x) => (db.prepare('SELECT target FROM pairs WHERE id = ?').get(x.pairId) as { target: string }).target,
    );
    expect(targets.filter((t) => t.trim().endsWith('I'))).toHaveLength(5);
    expect(latin.every((x) => x.fix?.target.endsWith('।'))).toBe(true);
    expect(f.filter((x) => x.kind === 'zero_width')).toHaveLength(1);
  });

  it('splits are deterministic and keep a normalised source on one side', async () => {
    const db = openDb(join(tmp(), 'x.db'));
    const r = await importDataset(db, { name: 't', files: [TATOEBA] });
    const a = createSplit(db, r.datasetId, 'a', { seed: 7, valid_ratio: 0.1, test_ratio: 0.1 });
    const b = createSplit(db, r.datasetId, 'b', { seed: 7, valid_ratio: 0.1, test_ratio: 0.1 });
    const c = createSplit(db, r.datasetId, 'c', { seed: 8, valid_ratio: 0.1, test_ratio: 0.1 });
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    const norm = (s: string) =>
      s
        .toLowerCase()
        .replace(/[\p{P}\p{S}]/gu, '')
        .replace(/\s+/g, ' ')
        .trim();
    const train = new Set(loadSplitPairs(db, a.id, 'train').map((p) => norm(p.source)));
    const test = loadSplitPairs(db, a.id, 'test');
    expect(test.length).toBeGreaterThan(15); // about a tenth of 209
    expect(test.filter((p) => train.has(norm(p.source)))).toEqual([]);
  });

  it('edits undo and redo, and the history survives reopening the store', async () => {
    const path = join(tmp(), 'x.db');
    let db = openDb(path);
    const ds = await getDatasetByName(db, 'builtin:tutorial');
    const first = listPairs(db, ds.id, { limit: 1 }).rows[0];
    editPairs(db, ds.id, 'edit', [{ op: 'update', pairId: first.id, target: 'नमस्कार' }]);
    editPairs(db, ds.id, 'delete', [{ op: 'delete', pairId: first.id }]);
    db.close();
    db = openDb(path);
    expect(listPairs(db, ds.id).total).toBe(5);
    undo(db, ds.id);
    expect(listPairs(db, ds.id, { search: 'नमस्कार' }).rows.map((r) => r.id)).toEqual([first.id]);
    undo(db, ds.id);
    expect(listPairs(db, ds.id, { search: 'ना?मस्ते$', regex: true }).total).toBe(1);
    redo(db, ds.id);
    expect(listPairs(db, ds.id, { search: 'नमस्कार' }).total).toBe(1);
  });
});
