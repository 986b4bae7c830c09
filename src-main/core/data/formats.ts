import { createReadStream, statSync } from 'node:fs';
import { badInput } from '../../common/errors.ts';
import { CsvRecordReader } from './csv-records.ts';

/**
 * Streaming readers for the parallel-text formats: each yields one pair per
 * data line with its 1-based line number, never holding the file in memory.
 *   tsv   Tatoeba/Anki: source<TAB>target[<TAB>attribution…], optional header
 *   moses two line-aligned files (X.en + X.hi)
 *   csv   RFC 4180 with a header row; columns chosen by name
 *   jsonl {"src": …, "tgt": …} per line
 */
export type DataFormat = 'tsv' | 'moses' | 'csv' | 'jsonl';
export const DATA_FORMATS: readonly DataFormat[] = ['tsv', 'moses', 'csv', 'jsonl'];

export interface RawPair {
  line: number;
  source: string;
  target: string;
  meta: string;
}

/** A line that cannot become a pair: reported with file and line, skipped or fatal. */
export interface BadLine {
  file: string;
  line: number;
  message: string;
}

export type ReadItem = { pair: RawPair } | { bad: BadLine };

export interface ReadOptions {
  srcCol?: string;
  tgtCol?: string;
  /** called with bytes read so far, for progress */
  onBytes?: (bytes: number) => void;
}

export function detectFormat(files: readonly string[]): DataFormat {
  if (files.length === 2) return 'moses';
  const f = files[0].toLowerCase();
  if (f.endsWith('.jsonl') || f.endsWith('.ndjson')) return 'jsonl';
  if (f.endsWith('.csv')) return 'csv';
  return 'tsv';
}

const HEADER_WORDS = /^(en|eng|english|source|src|hi|hin|hindi|target|tgt|trg)$/i;

/** A line longer than this is reported and skipped, never held whole (a file without line breaks). */
const MAX_LINE_BYTES = 16 << 20;
const LF = 0x0a;
const CR = 0x0d;

type Line = { line: number; text: string; eol: string } | { line: number; error: string };

/** Refuses what cannot be read as a file, naming it (a folder gave a bare EISDIR). */
function checkReadable(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `${file}: no such file`
        : `${file}: cannot read (${code ?? (err as Error).message})`,
      { file },
    );
  }
  if (st.isDirectory()) throw badInput(`${file}: is a folder, not a file`, { file });
}

/**
 * Decoded lines of a file, strictly UTF-8 per line, with 1-based numbers and the
 * break that ended each: \n, \r\n, or a lone \r (classic Mac files), '' at the end.
 * Each byte is scanned once; a line is only joined from its chunks when it ends.
 */
async function* lines(file: string, onBytes?: (n: number) => void): AsyncGenerator<Line> {
  checkReadable(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = []; // the current line's bytes so far
  let partBytes = 0;
  let tooLong = false;
  let crAtChunkEnd = false; // a \r ended the last chunk: a \n starting the next one belongs to it
  let lineNo = 0;
  let bytes = 0;
  const take = (piece: Buffer) => {
    if (tooLong || piece.length === 0) return;
    if (partBytes + piece.length > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
      partBytes = 0;
      return;
    }
    parts.push(piece);
    partBytes += piece.length;
  };
  const finish = (eol: string): Line => {
    lineNo++;
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, partBytes);
    parts = [];
    partBytes = 0;
    if (tooLong) {
      tooLong = false;
      return { line: lineNo, error: `line longer than ${MAX_LINE_BYTES >> 20} MiB` };
    }
    try {
      return { line: lineNo, text: decoder.decode(buf), eol };
    } catch {
      return { line: lineNo, error: 'invalid UTF-8' };
    }
  };
  const stream = createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  try {
    for await (const chunk of stream) {
      bytes += chunk.length;
      let start = 0;
      if (crAtChunkEnd) {
        crAtChunkEnd = false;
        if (chunk[0] === LF) {
          start = 1;
          yield finish('\r\n');
        } else yield finish('\r');
      }
      // Next \n and next \r, each searched again only once passed: one scan of the chunk.
      let lf = chunk.indexOf(LF, start);
      let cr = chunk.indexOf(CR, start);
      while (lf >= 0 || cr >= 0) {
        const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
        take(chunk.subarray(start, at));
        if (chunk[at] === LF) {
          start = at + 1;
          yield finish('\n');
        } else if (at + 1 === chunk.length) {
          start = at + 1;
          crAtChunkEnd = true;
          break;
        } else if (chunk[at + 1] === LF) {
          start = at + 2;
          yield finish('\r\n');
        } else {
          start = at + 1;
          yield finish('\r');
        }
        if (lf >= 0 && lf < start) lf = chunk.indexOf(LF, start);
        if (cr >= 0 && cr < start) cr = chunk.indexOf(CR, start);
      }
      take(chunk.subarray(start));
      onBytes?.(bytes);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code) throw err;
    throw badInput(`${file}: cannot read (${code})`, { file });
  }
  if (crAtChunkEnd) yield finish('\r');
  else if (partBytes > 0 || tooLong) yield finish('');
}

function stripBom(s: string, line: number): string {
  return line === 1 && s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export async function* readPairs(
  format: DataFormat,
  files: readonly string[],
  opts: ReadOptions = {},
): AsyncGenerator<ReadItem> {
  if (format === 'moses') {
    if (files.length !== 2) throw badInput('moses format needs two files: X.en X.hi', { field: 'files' });
    yield* readMoses(files[0], files[1], opts);
    return;
  }
  const file = files[0];
  const bad = (line: number, message: string): ReadItem => ({ bad: { file, line, message } });
  const pair = (line: number, source: string, target: string, meta = ''): ReadItem => {
    if (!source.trim()) return bad(line, 'empty source side');
    if (!target.trim()) return bad(line, 'empty target side');
    return { pair: { line, source, target, meta } };
  };
  let csvCols: { src: number; tgt: number; meta: number; width: number } | null = null;
  const csv = new CsvRecordReader();
  for await (const l of lines(file, opts.onBytes)) {
    if ('error' in l) {
      yield bad(l.line, l.error);
      continue;
    }
    const text = stripBom(l.text, l.line);
    if (format === 'tsv') {
      if (text === '') continue;
      const fields = text.split('\t');
      if (fields.length < 2) {
        yield bad(l.line, `expected at least 2 tab-separated fields, found ${fields.length}`);
        continue;
      }
      if (l.line === 1 && HEADER_WORDS.test(fields[0].trim()) && HEADER_WORDS.test(fields[1].trim())) continue;
      yield pair(l.line, fields[0], fields[1], fields.slice(2).join('\t'));
    } else if (format === 'jsonl') {
      if (text.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (err) {
        yield bad(l.line, `invalid JSON: ${(err as Error).message}`);
        continue;
      }
      const o = obj as Record<string, unknown>;
      const src = o?.[opts.srcCol ?? 'src'];
      const tgt = o?.[opts.tgtCol ?? 'tgt'];
      if (typeof src !== 'string' || typeof tgt !== 'string') {
        yield bad(
          l.line,
          `expected an object with string fields "${opts.srcCol ?? 'src'}" and "${opts.tgtCol ?? 'tgt'}"`,
        );
        continue;
      }
      const meta = typeof o.meta === 'string' ? o.meta : '';
      yield pair(l.line, src, tgt, meta);
    } else {
      // CSV: a quoted field may span lines; the reader keeps its state from line to line.
      const r = csv.push(text, l.eol, l.line);
      if (r === null) continue;
      if ('bad' in r) {
        yield bad(r.line, r.bad);
        continue;
      }
      const fields = r.record;
      const startLine = r.line;
      if (!csvCols) {
        const names = fields.map((f) => f.trim().toLowerCase());
        const want = (name: string | undefined, fallback: string[]) =>
          name ? names.indexOf(name.toLowerCase()) : names.findIndex((n) => fallback.includes(n));
        const src = want(opts.srcCol, ['src', 'source', 'en', 'english']);
        const tgt = want(opts.tgtCol, ['tgt', 'target', 'trg', 'hi', 'hindi']);
        if (src < 0 || tgt < 0) {
          throw badInput(
            `${file}:1: CSV header must name the source and target columns ` +
              `(found: ${names.join(', ')}); use --src-col/--tgt-col`,
            { file, line: 1 },
          );
        }
        // Our own export writes a meta column (e.g. the Tatoeba attribution): read it back so the round trip is exact.
        csvCols = { src, tgt, meta: names.findIndex((n) => n === 'meta' || n === 'attribution'), width: fields.length };
        continue;
      }
      if (fields.length !== csvCols.width) {
        yield bad(startLine, `expected ${csvCols.width} CSV fields, found ${fields.length}`);
        continue;
      }
      yield pair(startLine, fields[csvCols.src], fields[csvCols.tgt], csvCols.meta >= 0 ? fields[csvCols.meta] : '');
    }
  }
  if (format === 'csv') {
    const r = csv.end();
    if (r && 'bad' in r) yield bad(r.line, r.bad);
  }
}

async function* readMoses(srcFile: string, tgtFile: string, opts: ReadOptions): AsyncGenerator<ReadItem> {
  const a = lines(srcFile, opts.onBytes);
  const b = lines(tgtFile);
  for (;;) {
    const [x, y] = await Promise.all([a.next(), b.next()]);
    if (x.done && y.done) return;
    if (x.done || y.done) {
      const longer = x.done ? tgtFile : srcFile;
      const line = ((x.done ? y.value : x.value) as { line: number }).line;
      throw badInput(
        `${longer}:${line}: the files are not line-aligned (${x.done ? srcFile : tgtFile} ended at line ${line - 1})`,
        { file: longer, line },
      );
    }
    const s = x.value;
    const t = y.value;
    if ('error' in s) yield { bad: { file: srcFile, line: s.line, message: s.error } };
    else if ('error' in t) yield { bad: { file: tgtFile, line: t.line, message: t.error } };
    else if (!s.text.trim()) yield { bad: { file: srcFile, line: s.line, message: 'empty source side' } };
    else if (!t.text.trim()) yield { bad: { file: tgtFile, line: t.line, message: 'empty target side' } };
    else yield { pair: { line: s.line, source: stripBom(s.text, s.line), target: stripBom(t.text, t.line), meta: '' } };
  }
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}
