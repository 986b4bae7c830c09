import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilterPipelineSchema, type FilterSpecInput } from '../src-main/common/filters.ts';
import { validateDataset } from '../src-main/core/data/findings.ts';
import { applyFilters, keepDuplicate } from '../src-main/core/data/filters/apply.ts';
import { nearDuplicates } from '../src-main/core/data/filters/duplicates.ts';
import { previewFilters } from '../src-main/core/data/filters/preview.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { editPairs, undo } from '../src-main/core/data/pairs.ts';
import { listVersions } from '../src-main/core/data/versions.ts';
import { iterateVersionPairs } from '../src-main/core/store/dataset-versions.ts';
import { normaliseForDuplicates } from '../src-main/core/data/rules/duplicate-keys.ts';
import { numberKey } from '../src-main/core/data/rules/numbers.ts';
import { parseRunConfig } from '../src-main/common/config.ts';
import { pairTextHash } from '../src-main/core/data/pair-scores.ts';
import { createRun } from '../src-main/core/store/runs.ts';
import { openDb } from '../src-main/core/store/db.ts';
import type { Db } from '../src-main/core/store/db.ts';

const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
const NAMES = new URL('./fixtures/wikicrowd-names.tsv', import.meta.url).pathname;

async function datasetOf(rows: Array<[string, string]>): Promise<{ db: Db; id: number; ids: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-filters-'));
  const file = join(dir, 'd.tsv');
  writeFileSync(file, rows.map(([s, t]) => `${s}\t${t}\n`).join(''));
  const db = openDb(join(dir, 'x.db'));
  const r = await importDataset(db, { name: 'd', files: [file] });
  const ids = (
    db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord').all(r.datasetId) as Array<{
      id: number;
    }>
  ).map((x) => x.id);
  return { db, id: r.datasetId, ids };
}

const pipeline = (...specs: FilterSpecInput[]) => FilterPipelineSchema.parse(specs);

const ROWS: Array<[string, string]> = [
  ['Open the file.', 'फ़ाइल खोलें।'], // 0 kept
  ['Close the window now please.', 'Close the window now please.'], // 1 copy, script
  ['Save', 'सहेजें'], // 2 kept
  ['save', 'सहेजें'], // 3 near duplicate of 2
  ['Save', 'सहेजें'], // 4 exact duplicate of 2
  ['one two three four five six seven eight nine ten', 'एक'], // 5 length ratio
  ['Print', 'Print'], // 6 copy and script: its duplicate 7 is then the one kept
  ['print', 'print'], // 7 near duplicate of 6, also a copy
  ['It happened in 1999.', 'यह 2009 में हुआ।'], // 8 numbers
  ['We saw 1,000 people.', 'हमने १००० लोग देखे।'], // 9 numbers agree
];

describe('filter pipeline preview', () => {
  it('counts each filter, what only it removes, and gives the removed pairs with every reason', async () => {
    const { db, id, ids } = await datasetOf(ROWS);
    const p = previewFilters(
      db,
      id,
      pipeline({ kind: 'script' }, { kind: 'length_ratio' }, { kind: 'near_duplicate' }, { kind: 'copy' }),
      { sampleLimit: 100 },
    );
    expect(p.total).toBe(10);
    expect(p.filters.map((f) => [f.kind, f.removed, f.removedOnlyByThis])).toEqual([
      ['script', 3, 0], // 1, 6, 7: each also a copy
      ['length_ratio', 1, 1], // 5
      // 3 and 4 are duplicates of 2; of 6 and 7 neither passes the script filter, so 6 (the first) is kept
      ['near_duplicate', 3, 2],
      ['copy', 3, 0],
    ]);
    expect(p.removed).toBe(6);
    expect(p.kept).toBe(4);
    const removed = p.sample.rows.map((r) => r.pairId);
    expect(removed).toEqual([1, 3, 4, 5, 6, 7].map((i) => ids[i]));
    const row7 = p.sample.rows.find((r) => r.pairId === ids[7]);
    expect(row7?.reasons.map((r) => r.kind)).toEqual(['script', 'near_duplicate', 'copy']);
    expect(row7?.reasons[1].message).toBe(`near duplicate of pair ${ids[6]} (kept)`);
    expect(p.sample.rows.find((r) => r.pairId === ids[5])?.reasons[0].message).toBe(
      'length ratio 10.0 (10 vs 1 words)',
    );
    // histograms: every pair counted once in "all", the kept ones in "kept"
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(p.histograms.sourceLength.all)).toBe(10);
    expect(sum(p.histograms.sourceLength.kept)).toBe(4);
    expect(p.histograms.sourceLength.edges.length).toBe(p.histograms.sourceLength.all.length + 1);
  });

  it('a duplicate group keeps the first pair the other filters keep', async () => {
    const { db, id, ids } = await datasetOf([
      ['Print this page now, please.', 'Print this page now, please.'], // fails script
      ['Print this page now, please', 'इस पेज को अभी प्रिंट करें'], // not a duplicate: the target differs
      ['Print', 'Print'],
      ['Print', 'प्रिंट'],
      ['Print', 'प्रिंट'],
    ]);
    const p = previewFilters(db, id, pipeline({ kind: 'duplicate' }, { kind: 'script' }), { sampleLimit: 10 });
    expect(p.sample.rows.map((r) => r.pairId)).toEqual([ids[0], ids[2], ids[4]]);
    expect(p.filters[0]).toMatchObject({ removed: 1, removedOnlyByThis: 1 });
  });

  it('numbers: digit sequences per side, Devanagari digits and grouping commas read alike', async () => {
    expect(numberKey('We saw 1,000 people in 2019.')).toBe(numberKey('2019 में हमने १,००० लोग देखे।'));
    expect(numberKey('Indian 1,00,000')).toBe('100000');
    expect(numberKey('a, 5')).toBe('5');
    const { db, id, ids } = await datasetOf(ROWS);
    const p = previewFilters(db, id, pipeline({ kind: 'numbers' }), { sampleLimit: 10 });
    expect(p.sample.rows.map((r) => [r.pairId, r.reasons[0].message])).toEqual([
      [ids[8], 'numbers differ: 1999 vs 2009'],
    ]);
  });

  it('length: words per side within bounds; thresholds change the counts without a new pass', async () => {
    const { db, id } = await datasetOf(ROWS);
    const counts = [1, 2, 5].map((min) => previewFilters(db, id, pipeline({ kind: 'length', minTokens: min })).removed);
    expect(counts).toEqual([0, 6, 9]);
  });

  it('follows edits to the dataset (the measured pairs are cached per content)', async () => {
    const { db, id, ids } = await datasetOf(ROWS);
    expect(previewFilters(db, id, pipeline({ kind: 'copy' })).removed).toBe(3);
    editPairs(db, id, 'translate', [{ op: 'update', pairId: ids[6], target: 'प्रिंट' }]);
    expect(previewFilters(db, id, pipeline({ kind: 'copy' })).removed).toBe(2);
  });

  it('reuses the validator rules: copy, near_duplicate and length_ratio remove what it flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-filters-'));
    const db = openDb(join(dir, 'x.db'));
    const { datasetId } = await importDataset(db, { name: 't', files: [TATOEBA] });
    const findings = validateDataset(db, datasetId);
    const flagged = (...kinds: string[]) =>
      findings
        .filter((f) => kinds.includes(f.kind))
        .map((f) => f.pairId)
        .sort((a, b) => a - b);
    const removedBy = (spec: FilterSpecInput) =>
      previewFilters(db, datasetId, pipeline(spec), { sampleLimit: 500 })
        .sample.rows.map((r) => r.pairId)
        .sort((a, b) => a - b);
    expect(removedBy({ kind: 'copy' })).toEqual(flagged('untranslated'));
    expect(removedBy({ kind: 'near_duplicate' })).toEqual(flagged('duplicate', 'near_duplicate'));
    expect(removedBy({ kind: 'duplicate' })).toEqual(flagged('duplicate'));
    expect(removedBy({ kind: 'length_ratio' })).toEqual(flagged('length_ratio'));
    expect(flagged('length_ratio').length + flagged('untranslated').length).toBeGreaterThan(0);
  });

  it('normalises ASCII (its own loop) as the general path does: case, punctuation, symbols, spaces', () => {
    const general = (x: string) => normaliseForDuplicates(`${x}\u00e9`).slice(0, -1).trimEnd(); // é: not ASCII
    for (const x of [' A . B, c!! ', '...', '', 'x - y', 'Hello   World  ', 'a_b~c`d', 'R2-D2 (2019)']) {
      expect(normaliseForDuplicates(x)).toBe(general(x));
    }
    expect(normaliseForDuplicates(' A . B, c!! ')).toBe('a b c');
  });

  it('lists the near-duplicate partners of a pair, itself first', async () => {
    const { db, id, ids } = await datasetOf(ROWS);
    const d = nearDuplicates(db, id, ids[3]);
    expect(d.partners.map((p) => [p.pairId, p.exact])).toEqual([
      [ids[3], true],
      [ids[2], false],
      [ids[4], false],
    ]);
    expect(nearDuplicates(db, id, ids[0]).partners).toHaveLength(1);
  });
});

describe('model_score filter', () => {
  it("removes pairs a run's stored score puts under the bound; unscored and stale pairs stay", async () => {
    const { db, id, ids } = await datasetOf(ROWS);
    const run = createRun(db, { config: parseRunConfig({ dataset: 'd' }), datasetId: id });
    const put = (i: number, score: number, hash = pairTextHash(ROWS[i][0], ROWS[i][1])) =>
      db
        .prepare('INSERT INTO pair_model_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(run.id, id, ids[i], score * 4, 4, score, hash, '2026-12-03T00:00:00Z');
    put(0, -0.5);
    put(1, -6.25);
    put(2, -9, 'stale');
    const p = previewFilters(db, id, pipeline({ kind: 'model_score', runId: run.id, minScore: -3 }), {
      sampleLimit: 10,
    });
    expect(p.sample.rows.map((r) => [r.pairId, r.reasons[0].message])).toEqual([
      [ids[1], `run ${run.id} scores it -6.25 per token (under -3)`],
    ]);
  });
});

describe('language filter', () => {
  // Sentences written for this test (not from the profile's data).
  const LANG_ROWS: Array<[string, string]> = [
    ['The children are playing in the garden today.', 'बच्चे आज बगीचे में खेल रहे हैं।'], // 0 kept
    ['The children are playing in the garden today.', 'मुले आज बागेत खेळत आहेत आणि त्यांना मजा येत आहे.'], // 1 Marathi
    // 2: Nepali
    ['The children are playing in the garden today.', 'केटाकेटीहरू आज बगैंचामा खेलिरहेका छन् र रमाइलो गर्दैछन्।'],
    ['Les enfants jouent dans le jardin aujourd’hui.', 'बच्चे आज बगीचे में खेल रहे हैं।'], // 3 French source
    ['Hallo', 'नमस्ते'], // 4 too short to judge
  ];

  // These sentences are 30-60 letters: judged by language when minLetters says so (the default is 60).
  it('removes sides that read as another language of the profile, and leaves short sides alone', async () => {
    const { db, id, ids } = await datasetOf(LANG_ROWS);
    const p = previewFilters(db, id, pipeline({ kind: 'language', minLetters: 30 }), { sampleLimit: 10 });
    expect(p.sample.rows.map((r) => [r.pairId, r.reasons[0].message])).toEqual([
      [ids[1], 'Hindi side reads as Marathi'],
      [ids[2], 'Hindi side reads as Nepali'],
      [ids[3], 'English side reads as French'],
    ]);
    const targetOnly = previewFilters(db, id, pipeline({ kind: 'language', sides: 'target', minLetters: 30 }));
    expect(targetOnly.removed).toBe(2);
  });

  // Real names and headings of wikicrowd (test/fixtures/wikicrowd-names.tsv): under 60 letters a name reads as
  // Nepali, Spanish or German. With the old default (30 letters) the filter removed all six names.
  it('keeps short sides it cannot judge (real names), counted as too short to judge', async () => {
    const rows = readFileSync(NAMES, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t') as [string, string]);
    const { db, id } = await datasetOf(rows);
    const old = previewFilters(db, id, pipeline({ kind: 'language', minLetters: 30 }));
    expect(old.removed).toBe(6); // what the old default did to them
    const p = previewFilters(db, id, pipeline({ kind: 'language' }));
    expect(p.removed).toBe(0);
    expect(p.filters[0].notJudged).toEqual({
      pairs: 6,
      reason: 'too short to judge (a side under 60 letters): judged by script only, kept',
    });
  });

  it('judges a short side by its script only: a Hindi side in Latin letters goes, a long French side too', async () => {
    const french = 'Les enfants jouent dans le jardin aujourd’hui, et leurs parents les regardent depuis la maison.';
    const { db, id, ids } = await datasetOf([
      ['Indira Gandhi International Airport', 'Indira Gandhi antarrashtriya hawai adda'],
      ['Indira Gandhi International Airport', 'इंदिरा गाँधी अन्तर्राष्ट्रीय हवाई अड्डा'],
      [french, 'बच्चे आज बगीचे में खेल रहे हैं और उनके माता-पिता उन्हें घर से देख रहे हैं।'],
    ]);
    const p = previewFilters(db, id, pipeline({ kind: 'language' }), { sampleLimit: 10 });
    expect(p.sample.rows.map((r) => [r.pairId, r.reasons[0].message])).toEqual([
      [ids[0], 'Hindi side too short to judge by language (35 letters), 0% Devanagari'],
      [ids[2], 'English side reads as French'],
    ]);
    expect(p.filters[0].notJudged?.pairs).toBe(1);
  });
});

describe('applying filters as a dataset version', () => {
  const headIds = (db: Db, id: number) =>
    db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord, id').pluck().all(id) as number[];
  const versionIds = (db: Db, versionId: number) => [...iterateVersionPairs(db, versionId)].map((p) => p.id);

  it('removes the previewed pairs from the head, as a version with the pipeline; undo restores them', async () => {
    const { db, id, ids } = await datasetOf(ROWS);
    const p = pipeline({ kind: 'script' }, { kind: 'length_ratio' }, { kind: 'near_duplicate' });
    const preview = previewFilters(db, id, p, { sampleLimit: 100 });
    const r = applyFilters(db, id, p, { label: 'clean' });
    expect(r).toMatchObject({ versionNumber: 2, label: 'clean', removed: preview.removed, pairCount: preview.kept });
    const kept = ids.filter((x) => !preview.sample.rows.some((row) => row.pairId === x));
    expect(headIds(db, id)).toEqual(kept);
    const [v1, v2] = listVersions(db, id);
    expect(versionIds(db, v1.id)).toEqual(ids); // the older version keeps every pair
    expect(versionIds(db, v2.id)).toEqual(kept);
    expect(v2.recipe).toMatchObject({ kind: 'filter', pipeline: p, removed: preview.removed });
    expect(previewFilters(db, id, p).removed).toBe(0);
    undo(db, id);
    expect(headIds(db, id)).toEqual(ids);
    expect(versionIds(db, v2.id)).toEqual(kept);
  });

  it('keeps the chosen pair of a near-duplicate group; only its partners may be removed', async () => {
    const { db, id, ids } = await datasetOf(ROWS);
    expect(() => keepDuplicate(db, id, ids[3], [ids[0]])).toThrow(`pair ${ids[0]} is not a near duplicate`);
    expect(() => keepDuplicate(db, id, ids[3], [ids[3]])).toThrow('is the one kept');
    expect(listVersions(db, id)).toHaveLength(1);
    const r = keepDuplicate(db, id, ids[3], [ids[2], ids[4]]);
    expect(r).toMatchObject({ label: `kept #${ids[3]}`, removed: 2, pairCount: ROWS.length - 2 });
    expect(headIds(db, id)).not.toContain(ids[2]);
    expect(nearDuplicates(db, id, ids[3]).partners.map((x) => x.pairId)).toEqual([ids[3]]);
    expect(listVersions(db, id).at(-1)?.recipe).toMatchObject({ kind: 'dedup', keep: ids[3] });
  });
});
