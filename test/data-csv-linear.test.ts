import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPairs, type DataFormat, type ReadItem } from '../src-main/core/data/formats.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { iteratePairs } from '../src-main/core/store/datasets.ts';
import { openDb } from '../src-main/core/store/db.ts';

/**
 * CSV import used to rescan the whole gathered record for every new line once a
 * quote was open (a stray quote made a 320 KB file take 35 s). Reading is linear
 * now, on any input; and lines end at \n, \r\n or a lone \r (classic Mac files).
 */
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-csv-'));

/** A CSV of about `bytes` bytes whose `strayLine` holds `stray` as its source field. */
function csvWithStray(dir: string, bytes: number, stray: string, strayLine = 3): { file: string; rows: number } {
  const lines = ['src,tgt'];
  let size = 8;
  for (let i = 2; size < bytes; i++) {
    const line = i === strayLine ? `${stray},पंक्ति ${i}` : `line number ${i} of the file,पंक्ति ${i}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  const file = join(dir, `f${bytes}-${strayLine}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, rows: lines.length - 1 };
}

async function readAll(format: DataFormat, files: string[]): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of readPairs(format, files)) out.push(item);
  return out;
}

/** Fastest of a few runs, in ms (the machine is shared: the minimum is the least noisy figure). */
async function timeRead(file: string): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await readAll('csv', [file]);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const pairsOf = (items: ReadItem[]) => items.flatMap((i) => ('pair' in i ? [[i.pair.source, i.pair.target]] : []));
const badOf = (items: ReadItem[]) => items.flatMap((i) => ('bad' in i ? [[i.bad.line, i.bad.message]] : []));

describe('CSV reading is linear in the file size', () => {
  it('a quote inside an unquoted field is text: 300 KB and 3 MB read in linear time', async () => {
    const dir = tmp();
    const small = csvWithStray(dir, 300_000, '5" screen');
    const large = csvWithStray(dir, 3_000_000, '5" screen');
    await timeRead(small.file); // warm up the JIT
    const tSmall = await timeRead(small.file);
    const tLarge = await timeRead(large.file);
    // Bounds with room for a loaded machine (measured: ~40 ms and ~400 ms on 2 busy cores); the old reader took 35 s
    // for 320 KB.
    expect(tSmall).toBeLessThan(1000);
    expect(tLarge).toBeLessThan(4000);
    // 10x the data: linear is ~10x, the old quadratic reader ~100x.
    expect(tLarge / Math.max(tSmall, 1)).toBeLessThan(30);
    const items = await readAll('csv', [large.file]);
    expect(badOf(items)).toEqual([]);
    expect(pairsOf(items)).toHaveLength(large.rows);
    expect(pairsOf(items)[1]).toEqual(['5" screen', 'पंक्ति 3']);
  }, 20_000);

  it(
    'a quote that opens a field and never closes is one ' + 'bad line naming where it opened, found in linear time',
    async () => {
      const dir = tmp();
      const small = csvWithStray(dir, 300_000, '"stray');
      const large = csvWithStray(dir, 3_000_000, '"stray');
      const t = performance.now();
      const items = await readAll('csv', [small.file]);
      expect(performance.now() - t).toBeLessThan(1000);
      expect(pairsOf(items)).toEqual([['line number 2 of the file', 'पंक्ति 2']]);
      expect(badOf(items)).toEqual([
        [3, `quoted field opened here is never closed (a stray quote?); lines 3-${small.rows + 1} were not read`],
      ]);
      const db = openDb(join(dir, 'x.db'));
      await expect(importDataset(db, { name: 'x', files: [small.file] })).rejects.toThrow(
        `${small.file}:3: quoted field opened here is never closed`,
      );

      // In a large file the open field is given up after 1 MiB and reading resumes: the rest of the file is kept.
      const t2 = performance.now();
      const many = await readAll('csv', [large.file]);
      expect(performance.now() - t2).toBeLessThan(4000);
      const bad = badOf(many);
      expect(bad).toHaveLength(1);
      expect(bad[0][0]).toBe(3);
      expect(bad[0][1]).toMatch(
        /^quoted field opened here is still open after 1 MiB \(a stray quote\?\); lines 3-\d+ were skipped$/,
      );
      const lastSkipped = Number(/lines 3-(\d+)/.exec(String(bad[0][1]))?.[1]);
      expect(pairsOf(many)).toHaveLength(1 + (large.rows + 1 - lastSkipped));
      expect(pairsOf(many).at(-1)).toEqual([`line number ${large.rows + 1} of the file`, `पंक्ति ${large.rows + 1}`]);
    },
    20_000,
  );

  it(
    'an undoubled quote inside a quoted field is a bad ' + 'line with its number; the next record reads normally',
    async () => {
      const dir = tmp();
      const f = join(dir, 'q.csv');
      writeFileSync(f, 'src,tgt\n"He said "hi" there",x\n"ok ""quoted""",ठीक\n');
      const items = await readAll('csv', [f]);
      expect(badOf(items)).toEqual([
        [2, 'text after a closing quote: a quote inside a quoted field must be doubled ("")'],
      ]);
      expect(pairsOf(items)).toEqual([['ok "quoted"', 'ठीक']]);
    },
  );
});

describe('line endings', () => {
  it('a lone \\r ends a line (classic Mac files) in tsv, csv and moses; \\r\\n and \\n as before', async () => {
    const dir = tmp();
    const tsv = join(dir, 'mac.tsv');
    writeFileSync(tsv, 'hello\tनमस्ते\rthanks\tधन्यवाद\r\nyes\tहाँ\nno\tनहीं');
    expect(pairsOf(await readAll('tsv', [tsv]))).toEqual([
      ['hello', 'नमस्ते'],
      ['thanks', 'धन्यवाद'],
      ['yes', 'हाँ'],
      ['no', 'नहीं'],
    ]);
    // A quoted CSV field keeps the line break it had, whichever it was.
    const csv = join(dir, 'mac.csv');
    writeFileSync(csv, 'src,tgt\r"two\rlines","दो\r\nपंक्तियाँ"\rb,ख\r');
    expect(pairsOf(await readAll('csv', [csv]))).toEqual([
      ['two\rlines', 'दो\r\nपंक्तियाँ'],
      ['b', 'ख'],
    ]);
    writeFileSync(join(dir, 'x.en'), 'a\rb\r');
    writeFileSync(join(dir, 'x.hi'), 'क\r\nख\r\n');
    expect(pairsOf(await readAll('moses', [join(dir, 'x.en'), join(dir, 'x.hi')]))).toEqual([
      ['a', 'क'],
      ['b', 'ख'],
    ]);
  });

  it('a \\r\\n split across two read chunks is one line break (line numbers stay right)', async () => {
    const dir = tmp();
    const f = join(dir, 'boundary.tsv');
    const chunk = 1 << 20; // the reader's chunk size
    const filler = 'x'.repeat(chunk - 3);
    // "a\tb\r\n" puts the \r as the chunk's last byte and the \n as the next chunk's first.
    writeFileSync(f, `a\t${filler}\r\nno tab here\r\nc\tघ\r\n`);
    const items = await readAll('tsv', [f]);
    expect(badOf(items)).toEqual([[2, 'expected at least 2 tab-separated fields, found 1']]);
    expect(pairsOf(items).map((p) => p[1].slice(0, 3))).toEqual(['xxx', 'घ']);
  });
});

describe('files that are not files', () => {
  it('a folder given as the file is refused with its name', async () => {
    const dir = tmp();
    const folder = join(dir, 'data.tsv');
    mkdirSync(folder);
    const db = openDb(join(dir, 'x.db'));
    await expect(importDataset(db, { name: 'x', files: [folder] })).rejects.toThrow(
      expect.objectContaining({ code: 'bad_input', message: `${folder}: is a folder, not a file` }),
    );
    expect([...iteratePairs(db, 1)]).toEqual([]);
  });
});
