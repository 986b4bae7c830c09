import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDataset } from '../src-main/core/data/export.ts';
import { detectFormat } from '../src-main/core/data/formats.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { iteratePairs } from '../src-main/core/store/datasets.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'wb-formats-'));
const rows = (db: Db, id: number) => [...iteratePairs(db, id)].map((p) => [p.source, p.target, p.meta]);
const counts = (db: Db) =>
  db.prepare('SELECT (SELECT count(*) FROM datasets) AS d, (SELECT count(*) FROM pairs) AS p').get();

// Awkward but legal content: quotes, commas, a newline inside a CSV field, leading spaces, Devanagari joiners.
const TRICKY = [
  ['He said "no", then left.', 'उसने "नहीं" कहा, फिर चला गया।'],
  ['  padded  ', 'क्‍या'],
  ['two\nlines', 'दो\nपंक्तियाँ'],
  ['a,b', 'क,ख'],
];

describe('import formats', () => {
  it('detects the format from the file names', () => {
    expect([
      detectFormat(['a.tsv']),
      detectFormat(['a.txt']),
      detectFormat(['a.csv']),
      detectFormat(['a.jsonl']),
      detectFormat(['x.en', 'x.hi']),
    ]).toEqual(['tsv', 'tsv', 'csv', 'jsonl', 'moses']);
  });

  it('reads TSV without a header, CRLF endings, a BOM and an attribution column', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    const f = join(dir, 'a.tsv');
    writeFileSync(f, '\uFEFFhello\tनमस्ते\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\r\nthanks\tधन्यवाद\r\n');
    const r = await importDataset(db, { name: 'a', files: [f] });
    expect(rows(db, r.datasetId)).toEqual([
      ['hello', 'नमस्ते', 'CC-BY 2.0 (France) Attribution: tatoeba.org #1'],
      ['thanks', 'धन्यवाद', ''],
    ]);
  });

  it('reads CSV columns by name (--src-col/--tgt-col) with RFC 4180 quoting across lines', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    const f = join(dir, 'a.csv');
    writeFileSync(f, 'id,Hindi,English\n1,"उसने ""नहीं"" कहा, फिर",He said\n2,"दो\nपंक्तियाँ","two, lines"\n');
    const r = await importDataset(db, { name: 'a', files: [f], srcCol: 'English', tgtCol: 'hindi' });
    expect(rows(db, r.datasetId)).toEqual([
      ['He said', 'उसने "नहीं" कहा, फिर', ''],
      ['two, lines', 'दो\nपंक्तियाँ', ''],
    ]);
    // Without options the usual column names are found by themselves.
    const auto = await importDataset(db, { name: 'auto', files: [f] });
    expect(rows(db, auto.datasetId)).toEqual(rows(db, r.datasetId));
    const g = join(dir, 'b.csv');
    writeFileSync(g, 'left,right\na,क\n');
    await expect(importDataset(db, { name: 'b', files: [g] })).rejects.toThrow(
      `${g}:1: CSV header must name the source and target columns (found: left, right)`,
    );
  });

  it('reads JSONL and names the bad line; --skip-bad reports every skipped line', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    const f = join(dir, 'a.jsonl');
    writeFileSync(
      f,
      '{"src":"hi","tgt":"नमस्ते"}\n{"src":"x"}\n{"src":"ok","tgt":"ठीक"}\nnot json\n{"src":"  ","tgt":"खाली"}\n',
    );
    await expect(importDataset(db, { name: 'a', files: [f] })).rejects.toThrow(`${f}:2: expected an object`);
    expect(counts(db)).toEqual({ d: 0, p: 0 });
    const r = await importDataset(db, { name: 'a', files: [f], skipBad: true });
    expect(r.pairs).toBe(2);
    expect(r.skipped.map((b) => [b.line, b.message.split(':')[0]])).toEqual([
      [2, 'expected an object with string fields "src" and "tgt"'],
      [4, 'invalid JSON'],
      [5, 'empty source side'],
    ]);
  });

  it('refuses line-aligned files of different lengths, naming the longer file', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    writeFileSync(join(dir, 'x.en'), 'a\nb\nc\n');
    writeFileSync(join(dir, 'x.hi'), 'क\nख\n');
    await expect(importDataset(db, { name: 'x', files: [join(dir, 'x.en'), join(dir, 'x.hi')] })).rejects.toThrow(
      `${join(dir, 'x.en')}:3: the files are not line-aligned`,
    );
    expect(counts(db)).toEqual({ d: 0, p: 0 });
  });

  it('exports tricky text exactly in csv and jsonl, and refuses what tsv/moses cannot hold', async () => {
    const dir = tmp();
    const db = openDb(join(dir, 'x.db'));
    const src = join(dir, 'src.jsonl');
    writeFileSync(src, TRICKY.map(([s, t]) => JSON.stringify({ src: s, tgt: t })).join('\n') + '\n');
    const r = await importDataset(db, { name: 'tricky', files: [src] });
    const original = rows(db, r.datasetId);
    expect(original.map((p) => [p[0], p[1]])).toEqual(TRICKY);
    for (const format of ['csv', 'jsonl'] as const) {
      const out = join(dir, `out.${format}`);
      await exportDataset(db, 'tricky', out, format);
      const again = await importDataset(db, { name: `again-${format}`, files: [out] });
      expect(rows(db, again.datasetId)).toEqual(original);
    }
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toContain('"He said ""no"", then left."');
    await expect(exportDataset(db, 'tricky', join(dir, 'out.tsv'), 'tsv')).rejects.toThrow('TSV cannot hold');
    await expect(exportDataset(db, 'tricky', join(dir, 'out'), 'moses')).rejects.toThrow(
      'line-aligned files cannot hold',
    );
  });
});
