import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { validatePairs, validateDataset, stripZeroWidth } from '../src-main/core/data/findings.ts';
import { applyFix, applyFixes } from '../src-main/core/data/fixes.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { editHistory, editPairs, listPairs, redo, tagPairs, undo } from '../src-main/core/data/pairs.ts';
import { ensureSplit, loadSplitPairs } from '../src-main/core/data/splits.ts';
import { datasetHash } from '../src-main/core/store/datasets.ts';
import { openDb } from '../src-main/core/store/db.ts';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-edits-'));
const ZWSP = '\u200B';
const ZWJ = '\u200D';

describe('findings on hand-made pairs', () => {
  it('finds each kind, with fixes only where they are safe', () => {
    const f = validatePairs([
      { id: 1, source: 'Hello.', target: 'नमस्ते।' },
      { id: 2, source: 'hello', target: 'नमस्ते' }, // near duplicate of 1
      { id: 3, source: 'Hello.', target: 'नमस्ते।' }, // exact duplicate of 1
      { id: 4, source: 'I am here.', target: 'मैं यहाँ हूँ |' },
      { id: 5, source: `Go${ZWSP} home.`, target: `घर जाओ।${ZWSP}` },
      { id: 6, source: 'OK', target: 'OK' },
      { id: 7, source: 'नमस्ते', target: 'hello' },
      { id: 8, source: 'one two three four five six seven eight nine ten', target: 'एक' },
      { id: 9, source: 'Basketball.', target: `बास्${ZWJ}केटबॉल।` }, // a joiner inside a cluster: flagged, not "fixed"
    ]);
    const kinds = (id: number) =>
      f
        .filter((x) => x.pairId === id)
        .map((x) => x.kind)
        .sort();
    expect(kinds(1)).toEqual([]);
    expect(kinds(2)).toEqual(['near_duplicate']);
    expect(kinds(3)).toEqual(['duplicate']);
    expect(f.find((x) => x.pairId === 4)).toMatchObject({ kind: 'latin_danda', fix: { target: 'मैं यहाँ हूँ।' } });
    expect(f.find((x) => x.pairId === 5)).toMatchObject({
      kind: 'zero_width',
      fix: { source: 'Go home.', target: 'घर जाओ।' },
    });
    expect(kinds(6)).toEqual(['target_not_devanagari', 'untranslated']);
    expect(kinds(7)).toEqual(['source_has_devanagari', 'target_not_devanagari']);
    expect(kinds(8)).toEqual(['length_ratio']);
    expect(f.find((x) => x.pairId === 9)).toMatchObject({ kind: 'zero_width' });
    expect(f.find((x) => x.pairId === 9)?.fix).toBeUndefined();
    expect(stripZeroWidth(`${ZWJ}a${ZWJ}b क${ZWJ}`)).toBe('ab क');
  });
});

describe('fixes, tags and the finding filter', () => {
  it('fixes one finding, then all of a kind, as undoable groups; the finding filter follows the edits', async () => {
    const db = openDb(join(tmp(), 'x.db'));
    const ds = await importDataset(db, { name: 't', files: [TATOEBA] });
    const before = datasetHash(db, ds.datasetId);
    const dandas = validateDataset(db, ds.datasetId).filter((f) => f.kind === 'latin_danda');
    expect(dandas).toHaveLength(7); // five Latin "I" and two "|"
    expect(listPairs(db, ds.datasetId, { finding: 'latin_danda' }).total).toBe(7);

    expect(applyFix(db, ds.datasetId, dandas[0]).fixed).toBe(1);
    expect(listPairs(db, ds.datasetId, { finding: 'latin_danda' }).total).toBe(6);
    const all = applyFixes(db, ds.datasetId, { kind: 'latin_danda' });
    expect(all.fixed).toBe(6);
    expect(listPairs(db, ds.datasetId, { finding: 'latin_danda' }).total).toBe(0);
    expect(listPairs(db, ds.datasetId, { search: ' I$', regex: true, side: 'target' }).total).toBe(0);
    // The history says what each fix did, in words ("1 finding", not "1 finding(s)").
    expect(
      editHistory(db, ds.datasetId)
        .slice(0, 2)
        .map((h) => h.label),
    ).toEqual(['fix 6 findings (latin_danda)', 'fix 1 finding (latin_danda)']);
    expect(() => applyFixes(db, ds.datasetId, { kind: 'duplicate' })).toThrow('no safe automatic fix');

    undo(db, ds.datasetId);
    expect(listPairs(db, ds.datasetId, { finding: 'latin_danda' }).total).toBe(6);
    undo(db, ds.datasetId);
    expect(datasetHash(db, ds.datasetId)).toBe(before);
    expect(applyFixes(db, ds.datasetId, { pairIds: [1, 2] })).toEqual({ fixed: 0, edit: null });
  });

  it('bulk tags merge with existing tags, filter by tag, and undo as one step', async () => {
    const db = openDb(join(tmp(), 'x.db'));
    const ds = await getDatasetByName(db, 'builtin:tutorial');
    const ids = listPairs(db, ds.id).rows.map((r) => r.id);
    editPairs(db, ds.id, 'tag one', [{ op: 'update', pairId: ids[0], tags: 'greeting' }]);
    tagPairs(db, ds.id, ids.slice(0, 3), { add: ['review', 'greeting'] });
    expect(listPairs(db, ds.id, { tag: 'review' }).rows.map((r) => r.tags)).toEqual([
      'greeting review',
      'review greeting',
      'review greeting',
    ]);
    expect(listPairs(db, ds.id, { tag: 'greet' }).total).toBe(0); // whole tags only
    tagPairs(db, ds.id, ids.slice(0, 2), { remove: ['greeting'] });
    expect(listPairs(db, ds.id, { tag: 'greeting' }).rows.map((r) => r.id)).toEqual([ids[2]]);
    expect(tagPairs(db, ds.id, [ids[5]], { remove: ['absent'] })).toBeNull();
    expect(() => tagPairs(db, ds.id, [ids[0]], { add: ['two words'] })).toThrow('cannot contain spaces');
    undo(db, ds.id);
    undo(db, ds.id);
    expect(listPairs(db, ds.id, { tag: 'review' }).total).toBe(0);
    expect(listPairs(db, ds.id, { tag: 'greeting' }).total).toBe(1);
    expect(editHistory(db, ds.id).map((h) => [h.state, h.ops])).toEqual([
      ['undone', 2],
      ['undone', 3],
      ['done', 1],
    ]);
  });

  it('a new edit after an undo drops the redo branch; paging, sort and regex search', async () => {
    const db = openDb(join(tmp(), 'x.db'));
    const ds = await getDatasetByName(db, 'builtin:tutorial');
    const [a, b] = listPairs(db, ds.id).rows;
    editPairs(db, ds.id, 'one', [{ op: 'update', pairId: a.id, target: 'नमस्कार' }]);
    undo(db, ds.id);
    editPairs(db, ds.id, 'two', [{ op: 'delete', pairId: b.id }]);
    expect(redo(db, ds.id)).toBeNull();
    expect(listPairs(db, ds.id).total).toBe(5);
    expect(listPairs(db, ds.id, { sort: 'source', limit: 2, offset: 1 }).rows.map((r) => r.source)).toEqual([
      'i am fine',
      'my name is john',
    ]);
    expect(listPairs(db, ds.id, { search: '^(hello|thank you)$', regex: true, side: 'source' }).total).toBe(2);
    expect(() => listPairs(db, ds.id, { search: '(', regex: true })).toThrow('invalid regular expression');
    expect(() => editPairs(db, ds.id, 'empty', [{ op: 'update', pairId: a.id, source: '  ' }])).toThrow(
      'source cannot be empty',
    );
  });
});

describe('splits', () => {
  it('ensureSplit returns the existing split; a split from separate files records each part', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    const s = await getDatasetByName(db, 'builtin:sample');
    const first = ensureSplit(db, s.id, 'default', { seed: 1, valid_ratio: 0.1, test_ratio: 0.1 });
    expect(ensureSplit(db, s.id, 'default', { seed: 99, valid_ratio: 0.3, test_ratio: 0.3 })).toEqual(first);
    expect(first.counts.train + first.counts.valid + first.counts.test).toBe(s.pairCount);

    const files = ['train', 'valid', 'test'].map((n, i) => {
      const f = join(dir, `${n}.tsv`);
      writeFileSync(f, Array.from({ length: 3 + i }, (_, k) => `${n} ${k}\tवाक्य ${n} ${k}`).join('\n') + '\n');
      return f;
    });
    const r = await importDataset(db, {
      name: 'parts',
      files: [files[0]],
      validFiles: [files[1]],
      testFiles: [files[2]],
    });
    expect(r.split?.counts).toEqual({ train: 3, valid: 4, test: 5 });
    expect(loadSplitPairs(db, r.split?.id ?? -1, 'valid').map((p) => p.source)).toEqual([
      'valid 0',
      'valid 1',
      'valid 2',
      'valid 3',
    ]);
    // An empty part fails the whole import.
    const empty = join(dir, 'empty.tsv');
    writeFileSync(empty, '');
    await expect(importDataset(db, { name: 'p2', files: [files[0]], testFiles: [empty] })).rejects.toThrow(
      `${empty}: no pairs found`,
    );
    expect(db.prepare("SELECT count(*) AS n FROM datasets WHERE name = 'p2'").get()).toEqual({ n: 0 });
  });
});
