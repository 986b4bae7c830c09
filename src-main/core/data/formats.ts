import { createReadStream, existsSync } from 'node:fs';
import { badInput } from '../../common/errors.ts';

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

/** Decoded lines of a file, strictly UTF-8 per line, with 1-based numbers. */
async function* lines(file: string, onBytes?: (n: number) => void): AsyncGenerator<{ line: number; text: string } | { line: number; error: string }> {
  if (!existsSync(file)) throw badInput(`${file}: no such file`, { file });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let bytes = 0;
  const emit = (buf: Buffer) => {
    lineNo++;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--; // CRLF
    try {
      return { line: lineNo, text: decoder.decode(buf.subarray(0, end)) };
    } catch {
      return { line: lineNo, error: 'invalid UTF-8' };
    }
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      yield emit(buf.subarray(start, nl));
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
    buf = rest;
    onBytes?.(bytes);
  }
  if (rest.length) yield emit(rest);
}

function stripBom(s: string, line: number): string {
  return line === 1 && s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export async function* readPairs(format: DataFormat, files: readonly string[], opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
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
  const csvState = { pending: '', startLine: 0 };
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
        yield bad(l.line, `expected an object with string fields "${opts.srcCol ?? 'src'}" and "${opts.tgtCol ?? 'tgt'}"`);
        continue;
      }
      const meta = typeof o.meta === 'string' ? o.meta : '';
      yield pair(l.line, src, tgt, meta);
    } else {
      // CSV: a quoted field may span lines; gather until the quotes balance.
      if (!csvState.pending) csvState.startLine = l.line;
      csvState.pending = csvState.pending ? `${csvState.pending}\n${text}` : text;
      if (countQuotes(csvState.pending) % 2 === 1) continue;
      const record = csvState.pending;
      const startLine = csvState.startLine;
      csvState.pending = '';
      if (record === '') continue;
      const fields = parseCsvRecord(record);
      if (!csvCols) {
        const names = fields.map((f) => f.trim().toLowerCase());
        const want = (name: string | undefined, fallback: string[]) =>
          name ? names.indexOf(name.toLowerCase()) : names.findIndex((n) => fallback.includes(n));
        const src = want(opts.srcCol, ['src', 'source', 'en', 'english']);
        const tgt = want(opts.tgtCol, ['tgt', 'target', 'trg', 'hi', 'hindi']);
        if (src < 0 || tgt < 0) {
          throw badInput(`${file}:1: CSV header must name the source and target columns (found: ${names.join(', ')}); use --src-col/--tgt-col`, { file, line: 1 });
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
  if (csvState.pending) yield bad(csvState.startLine, 'unterminated quoted CSV field');
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
      throw badInput(`${longer}:${line}: the files are not line-aligned (${x.done ? srcFile : tgtFile} ended at line ${line - 1})`, { file: longer, line });
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

function countQuotes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 34) n++;
  return n;
}

/** One RFC 4180 record (may contain newlines inside quotes). */
export function parseCsvRecord(record: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i];
    if (quoted) {
      if (ch === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}
