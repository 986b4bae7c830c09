import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../src-main/core/data/export.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { editPairs, redo, undo } from '../src-main/core/data/pairs.ts';
import { diffVersions } from '../src-main/core/data/version-diff.ts';
import { createVersion, currentVersion, listVersions } from '../src-main/core/data/versions.ts';
import { datasetHash } from '../src-main/core/store/datasets.ts';
import { iterateVersionPairs } from '../src-main/core/store/dataset-versions.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-versions-'));

async function store(): Promise<{ db: Db; id: number; dir: string }> {
  const dir = tmp();
  const db = openDb(join(dir, 'store.db'));
  const { datasetId } = await importDataset(db, { name: 'tat', files: [TATOEBA] });
  return { db, id: datasetId, dir };
}

const content = (db: Db, versionId: number) =>
  [...iterateVersionPairs(db, versionId)].map((p) => `${p.id}\t${p.source}\t${p.target}`);
const headIds = (db: Db, id: number) =>
  db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord, id').pluck().all(id) as number[];

describe('dataset versions', () => {
  it('an import makes version 1, holding the whole head with its hash and no copied text', async () => {
    const { db, id } = await store();
    const [v1] = listVersions(db, id);
    expect(v1).toMatchObject({ number: 1, parentId: null, recipe: { kind: 'import' }, runIds: [] });
    expect(v1.pairCount).toBe(headIds(db, id).length);
    expect(v1.contentHash).toBe(datasetHash(db, id));
    expect(db.prepare('SELECT count(*) FROM pair_archive').pluck().get()).toBe(0);
  });

  it("a version's content never changes: head edits, deletes, undo and redo leave it as made", async () => {
    const { db, id } = await store();
    const [v1] = listVersions(db, id);
    const before = content(db, v1.id);
    const [a, b, c] = headIds(db, id);
    editPairs(db, id, 'edit', [{ op: 'update', pairId: a, source: 'changed source' }]);
    editPairs(db, id, 'delete', [{ op: 'delete', pairId: b }]);
    editPairs(db, id, 'tag only', [{ op: 'update', pairId: c, tags: 'x' }]);
    expect(content(db, v1.id)).toEqual(before);
    const v2 = createVersion(db, id, { label: 'after edits', recipe: { kind: 'snapshot' } });
    const v2Content = content(db, v2.id);
    expect(v2Content).not.toEqual(before);
    // Undo both edits (restores the row by INSERT OR REPLACE), then redo them: neither version moves.
    undo(db, id);
    undo(db, id);
    undo(db, id);
    expect(content(db, v1.id)).toEqual(before);
    expect(content(db, v2.id)).toEqual(v2Content);
    redo(db, id);
    redo(db, id);
    expect(content(db, v1.id)).toEqual(before);
    expect(content(db, v2.id)).toEqual(v2Content);
    // A tag edit copies no text: only the source edit and the delete were archived (once each per head state).
    expect(v1.contentHash).not.toBe(v2.contentHash);
  });

  it(
    'a writer that replaces a row (INSERT OR REPLACE fires ' + "no update or delete trigger) leaves a version's text",
    async () => {
      const { db, id } = await store();
      const [v1] = listVersions(db, id);
      const before = content(db, v1.id);
      const a = headIds(db, id)[0];
      db.prepare(
        `INSERT OR REPLACE INTO pairs (id, dataset_id, ord, source, target, created_at, updated_at)
       SELECT id, dataset_id, ord, 'replaced', target, created_at, updated_at FROM pairs WHERE id = ?`,
      ).run(a);
      expect(content(db, v1.id)).toEqual(before);
    },
  );

  it(
    'createVersion removes pairs as one undoable edit group; ' + 'undo brings them back, the version keeps them out',
    async () => {
      const { db, id } = await store();
      const ids = headIds(db, id);
      const remove = ids.slice(0, 3);
      const v2 = createVersion(db, id, {
        label: 'filtered',
        recipe: { kind: 'filter', pipeline: [] },
        removePairIds: remove,
      });
      expect(v2).toMatchObject({ number: 2, pairCount: ids.length - 3, recipe: { kind: 'filter' } });
      expect(headIds(db, id)).toEqual(ids.slice(3));
      const undone = undo(db, id);
      expect(undone?.ops).toBe(3);
      expect(headIds(db, id)).toEqual(ids);
      expect(content(db, v2.id).map((l) => Number(l.split('\t')[0]))).toEqual(ids.slice(3));
      const v1 = listVersions(db, id)[0];
      expect(content(db, v1.id)).toHaveLength(ids.length);
    },
  );

  it('a createVersion that fails half way leaves nothing: no version, no removal, no edit group', async () => {
    const { db, id } = await store();
    const ids = headIds(db, id);
    const groups = () => db.prepare('SELECT count(*) FROM edit_groups').pluck().get();
    const before = groups();
    // A pair of another dataset (or none) fails inside the transaction, after the first delete ran.
    expect(() =>
      createVersion(db, id, { label: 'x', recipe: { kind: 'filter' }, removePairIds: [ids[0], 999_999] }),
    ).toThrow(/no pair 999999/);
    expect(headIds(db, id)).toEqual(ids);
    expect(listVersions(db, id)).toHaveLength(1);
    expect(groups()).toBe(before);
  });

  it('currentVersion reuses the latest version while the head equals it, and snapshots once it moved', async () => {
    const { db, id } = await store();
    const v1 = currentVersion(db, id, 'for run 1');
    expect(v1.number).toBe(1);
    editPairs(db, id, 'edit', [{ op: 'update', pairId: headIds(db, id)[0], target: 'नया' }]);
    const v2 = currentVersion(db, id, 'for run 2');
    expect(v2).toMatchObject({ number: 2, label: 'for run 2', parentId: v1.id, recipe: { kind: 'snapshot' } });
    expect(currentVersion(db, id, 'for run 3').id).toBe(v2.id);
  });

  it('diffs two versions: added, removed and changed pairs, counted and paged', async () => {
    const { db, id } = await store();
    const [a, b] = headIds(db, id);
    editPairs(db, id, 'edit', [{ op: 'update', pairId: a, source: 'edited' }]);
    editPairs(db, id, 'del', [{ op: 'delete', pairId: b }]);
    const added = editPairs(db, id, 'add', [{ op: 'insert', source: 'new one', target: 'नया' }]).pairIds[0];
    createVersion(db, id, { label: 'v2', recipe: { kind: 'snapshot' } });
    const d = diffVersions(db, 'tat', 1, 2);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(d.rows.find((r) => r.kind === 'changed')).toMatchObject({ pairId: a, after: { source: 'edited' } });
    expect(d.rows.find((r) => r.kind === 'removed')).toMatchObject({ pairId: b, after: null });
    expect(d.rows.find((r) => r.kind === 'added')).toMatchObject({ pairId: added, before: null });
    expect(diffVersions(db, 'tat', 1, 2, { offset: 1, limit: 1 }).rows).toHaveLength(1);
    expect(diffVersions(db, 'tat', 2, 1).counts).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(() => diffVersions(db, 'tat', 1, 9)).toThrow(/no version 9/);
  });

  it('a pair edited and edited back is no change (archived text equal to the head)', async () => {
    const { db, id } = await store();
    const [a] = headIds(db, id);
    const { source } = db.prepare('SELECT source FROM pairs WHERE id = ?').get(a) as { source: string };
    editPairs(db, id, 'edit', [{ op: 'update', pairId: a, source: 'edited' }]);
    editPairs(db, id, 'edit back', [{ op: 'update', pairId: a, source }]);
    createVersion(db, id, { label: 'v2', recipe: { kind: 'snapshot' } });
    expect(diffVersions(db, 'tat', 1, 2).counts).toEqual({ added: 0, removed: 0, changed: 0 });
  });

  it('exports a version as it was made, after the head moved on', async () => {
    const { db, id, dir } = await store();
    const [a] = headIds(db, id);
    const original = [...iterateVersionPairs(db, listVersions(db, id)[0].id)][0];
    editPairs(db, id, 'edit', [{ op: 'update', pairId: a, source: 'edited in the head' }]);
    const out = join(dir, 'v1.jsonl');
    const { pairs } = await exportDataset(db, 'tat', out, 'jsonl', { version: 1 });
    expect(pairs).toBe(listVersions(db, id)[0].pairCount);
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]) as { src: string };
    expect(first.src).toBe(original.source);
    expect(readFileSync(out, 'utf8')).not.toContain('edited in the head');
  });

  it('deleting a dataset takes its versions and archives nothing on the way', async () => {
    const { db, id } = await store();
    editPairs(db, id, 'edit', [{ op: 'update', pairId: headIds(db, id)[0], source: 'x' }]);
    expect(db.prepare('SELECT count(*) FROM pair_archive').pluck().get()).toBe(1);
    db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    for (const t of ['dataset_versions', 'version_members', 'pair_archive'])
      expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
  });
});
