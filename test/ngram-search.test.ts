import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src-main/core/data/fixes.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { ngramMatchQuery, searchPairsByNgram } from '../src-main/core/data/ngram-search.ts';
import { editPairs, redo, tagPairs, undo } from '../src-main/core/data/pairs.ts';
import { deleteDataset } from '../src-main/core/store/datasets.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { MIGRATIONS } from '../src-main/core/store/migrations.ts';
import { checkPairsFts } from '../src-main/core/store/pairs-fts.ts';

const TATOEBA = new URL('./fixtures/tatoeba-400.tsv', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-ngram-'));

/** A dataset of the given pairs, imported through the real (staged) import. */
async function dataset(db: Db, name: string, pairs: Array<[string, string]>): Promise<number> {
  const file = join(tmp(), `${name}.tsv`);
  writeFileSync(file, pairs.map(([s, t]) => `${s}\t${t}\n`).join(''));
  return (await importDataset(db, { name, files: [file], format: 'tsv' })).datasetId;
}

const ids = (db: Db, ds: number, text: string, side?: 'source' | 'target' | 'both') =>
  searchPairsByNgram(db, ds, text, { side }).rows.map((r) => r.id);

describe('searchPairsByNgram', () => {
  it('keeps Hindi words whole: vowel signs, virama and nukta are part of the word', async () => {
    const db = openDb(':memory:');
    const ds = await dataset(db, 'hi', [
      ['I like the book.', 'मुझे किताब पसंद है।'],
      ['Write.', 'क लिखो।'],
      ['She reads.', 'वह पढ़ती है।'],
      ['Basketball.', 'बास्केटबॉल।'],
    ]);
    const all = db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord').pluck().all(ds) as number[];
    // With unicode61's default categories, "किताब" is cut at its vowel signs into क / त / ब,
    // so "क" would match the first pair too.
    expect(ids(db, ds, 'क')).toEqual([all[1]]);
    expect(ids(db, ds, 'किताब')).toEqual([all[0]]);
    expect(ids(db, ds, 'पढ़ती')).toEqual([all[2]]); // nukta (Mn) and a vowel sign (Mc)
    expect(ids(db, ds, 'पढ')).toEqual([]);
    expect(ids(db, ds, 'बास्केटबॉल')).toEqual([all[3]]); // virama (Mn)
    expect(ngramMatchQuery('किताब पसंद है।', 'target').words).toEqual(['किताब', 'पसंद', 'है']);
  });

  it('matches a phrase in order, on one side or both, ranked and paged, with the match spans', async () => {
    const db = openDb(':memory:');
    const ds = await dataset(db, 'p', [
      ['The book is on the table and the book is red.', 'किताब मेज़ पर है और किताब लाल है।'],
      ['Book the table.', 'मेज़ बुक करो।'],
      ['The book.', 'किताब।'],
      ['On the table is the book.', 'मेज़ पर किताब है।'],
      ['the BOOK, the Book!', 'किताब'],
    ]);
    const hits = searchPairsByNgram(db, ds, 'the book');
    expect(hits.total).toBe(4); // not "Book the table." (order counts)
    expect(hits.words).toEqual(['the', 'book']);
    // bm25: the short pair with the phrase twice ranks first; the long one with it twice after the short ones.
    expect(hits.rows[0].source).toBe('the BOOK, the Book!');
    expect(hits.rows.map((r) => r.score)).toEqual([...hits.rows.map((r) => r.score)].sort((a, b) => a - b));
    const first = hits.rows[0];
    expect(first.sourceMatches.map(([a, b]) => first.source.slice(a, b))).toEqual(['the BOOK', 'the Book']);
    expect(first.targetMatches).toEqual([]);
    const long = hits.rows.find((r) => r.source.startsWith('The book is on'));
    expect(long?.sourceMatches.map(([a, b]) => long.source.slice(a, b))).toEqual(['The book', 'the book']);

    const page = searchPairsByNgram(db, ds, 'the book', { offset: 1, limit: 2 });
    expect(page.rows.map((r) => r.id)).toEqual(hits.rows.slice(1, 3).map((r) => r.id));
    expect(page.total).toBe(4);

    const target = searchPairsByNgram(db, ds, 'मेज़ पर', { side: 'target' });
    expect(target.total).toBe(2);
    const t = target.rows[0];
    expect(t.targetMatches.map(([a, b]) => t.target.slice(a, b))).toEqual(['मेज़ पर']);
    expect(ids(db, ds, 'मेज़ पर', 'source')).toEqual([]);
    expect(ids(db, ds, 'table', 'target')).toEqual([]);
  });

  it('takes the text literally: quotes and FTS operators are words or nothing, never syntax', async () => {
    const db = openDb(':memory:');
    const ds = await dataset(db, 'q', [
      ['He said "near" or not.', 'उसने कहा।'],
      ['AND OR NOT', 'और'],
    ]);
    expect(ids(db, ds, '"near" OR')).toHaveLength(1);
    expect(ids(db, ds, 'AND OR NOT*')).toHaveLength(1);
    expect(ids(db, ds, 'NEAR(a b)')).toEqual([]);
    expect(() => searchPairsByNgram(db, ds, ' "" ... ! ')).toThrow(/at least one word/);
  });

  it('searches only the given dataset', async () => {
    const db = openDb(':memory:');
    const a = await dataset(db, 'a', [['red apple', 'लाल सेब']]);
    const b = await dataset(db, 'b', [['red apple', 'लाल सेब']]);
    expect(searchPairsByNgram(db, a, 'red apple').total).toBe(1);
    expect(searchPairsByNgram(db, b, 'लाल सेब').rows[0].id).not.toBe(searchPairsByNgram(db, a, 'लाल सेब').rows[0].id);
  });
});

describe('the index follows every write path', () => {
  it('edits, tags, fixes, undo and redo, inserts and deletes, dataset deletion', async () => {
    const db = openDb(':memory:');
    const ds = await dataset(db, 'e', [
      ['The cat sleeps.', 'बिल्ली सोती है।'],
      ['The dog runs.', 'कुत्ता दौड़ता है |'],
    ]);
    const [cat, dog] = db.prepare('SELECT id FROM pairs WHERE dataset_id = ? ORDER BY ord').pluck().all(ds) as number[];
    const consistent = () => expect(() => checkPairsFts(db)).not.toThrow();

    editPairs(db, ds, 'edit', [{ op: 'update', pairId: cat, target: 'बिल्ली खाती है।' }]);
    expect(ids(db, ds, 'सोती')).toEqual([]);
    expect(ids(db, ds, 'बिल्ली खाती')).toEqual([cat]);
    consistent();
    // Undo and redo rewrite the whole row (an INSERT OR REPLACE here left the old text's tokens behind).
    undo(db, ds);
    expect(ids(db, ds, 'बिल्ली सोती')).toEqual([cat]);
    expect(ids(db, ds, 'खाती')).toEqual([]);
    consistent();
    redo(db, ds);
    expect(ids(db, ds, 'खाती')).toEqual([cat]);
    consistent();

    tagPairs(db, ds, [cat, dog], { add: ['checked'] });
    undo(db, ds);
    consistent();

    expect(applyFixes(db, ds, { kind: 'latin_danda' }).fixed).toBe(1); // "|" -> "।" (not a word either way)
    expect(ids(db, ds, 'दौड़ता है')).toEqual([dog]);
    consistent();

    const ins = editPairs(db, ds, 'add', [{ op: 'insert', source: 'A bird sings.', target: 'चिड़िया गाती है।' }]);
    expect(ids(db, ds, 'bird')).toEqual(ins.pairIds);
    editPairs(db, ds, 'del', [{ op: 'delete', pairId: dog }]);
    expect(ids(db, ds, 'dog')).toEqual([]);
    undo(db, ds); // the delete, undone: the same id again
    expect(ids(db, ds, 'dog')).toEqual([dog]);
    undo(db, ds); // the insert, undone
    expect(ids(db, ds, 'bird')).toEqual([]);
    consistent();

    deleteDataset(db, ds); // the cascade fires the delete trigger
    expect(db.prepare(`SELECT count(*) FROM pairs_fts WHERE pairs_fts MATCH 'cat'`).pluck().get()).toBe(0);
    consistent();
  });

  it('an import that fails deletes its staged pairs from the index too', async () => {
    const db = openDb(':memory:');
    const file = join(tmp(), 'bad.tsv');
    writeFileSync(file, 'Good line.\tअच्छी पंक्ति।\nno tab here\n');
    await expect(importDataset(db, { name: 'bad', files: [file], format: 'tsv' })).rejects.toThrow(/bad\.tsv:2/);
    expect(db.prepare(`SELECT count(*) FROM pairs_fts WHERE pairs_fts MATCH 'good'`).pluck().get()).toBe(0);
    expect(() => checkPairsFts(db)).not.toThrow();
  });

  it('the migration indexes the pairs of a store made before it', async () => {
    const path = join(tmp(), 'old.db');
    const old = new Database(path);
    // Every migration before the one that creates the index (found by trying each).
    let version = 0;
    for (; version < MIGRATIONS.length; version++) {
      old.exec('SAVEPOINT m');
      MIGRATIONS[version](old);
      const made = old.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'pairs_fts'`).get();
      if (made) {
        old.exec('ROLLBACK TO m; RELEASE m');
        break;
      }
      old.exec('RELEASE m');
    }
    expect(version).toBeLessThan(MIGRATIONS.length);
    old.pragma(`user_version = ${version}`);
    const now = new Date().toISOString();
    old
      .prepare(`INSERT INTO datasets (name, pair_count, created_at, updated_at) VALUES ('old', 1, ?, ?)`)
      .run(now, now);
    old
      .prepare(`INSERT INTO pairs (dataset_id, ord, source, target, created_at, updated_at) VALUES (1, 1, ?, ?, ?, ?)`)
      .run('An old pair.', 'एक पुरानी जोड़ी।', now, now);
    old.close();

    const db = openDb(path);
    expect(ids(db, 1, 'पुरानी जोड़ी')).toEqual([1]);
    expect(() => checkPairsFts(db)).not.toThrow();
    db.close();
  });

  it('a real corpus: every Tatoeba pair is found by its own target', async () => {
    const db = openDb(':memory:');
    const ds = (await importDataset(db, { name: 't', files: [TATOEBA] })).datasetId;
    const pairs = db.prepare('SELECT id, target FROM pairs WHERE dataset_id = ?').all(ds) as Array<{
      id: number;
      target: string;
    }>;
    for (const p of pairs.slice(0, 30)) {
      expect(searchPairsByNgram(db, ds, p.target, { side: 'target', limit: 200 }).rows.map((r) => r.id)).toContain(
        p.id,
      );
    }
  });
});

describe('a word in most sentences', () => {
  it(
    'counts and ranks the first matches of the window, in ' + 'dataset order, and says the total is a lower bound',
    async () => {
      const db = openDb(':memory:');
      const ds = await dataset(db, 'w', [
        ['a long sentence with the word cat in it', 'x'],
        ['cat', 'y'],
        ['the cat sat', 'z'],
        ['cat cat', 'w'],
      ]);
      const all = searchPairsByNgram(db, ds, 'cat');
      expect(all).toMatchObject({ total: 4, totalCapped: false });
      expect(all.rows[0].source).toBe('cat cat');
      const capped = searchPairsByNgram(db, ds, 'cat', { window: 3 });
      expect(capped).toMatchObject({ total: 3, totalCapped: true });
      // The first three in dataset order, ranked among themselves: "cat cat" (the fourth) is not among them.
      expect(capped.rows.map((r) => r.source)).toEqual([
        'cat',
        'the cat sat',
        'a long sentence with the word cat in it',
      ]);
    },
  );
});
