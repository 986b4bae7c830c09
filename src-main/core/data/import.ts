import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { badInput, conflict, WorkbenchError } from '../../common/errors.ts';
import { isBusy, retryWhileBusy } from '../store/busy.ts';
import type { Db } from '../store/db.ts';
import { datasetHash } from '../store/datasets.ts';
import { insertHeadSnapshot } from '../store/dataset-versions.ts';
import { discardStagedDataset, publishStagedDataset, stageDataset } from '../store/staged-datasets.ts';
import { writeSplit, type SplitInfo, type SplitPart } from './splits.ts';
import { DATA_FORMATS, detectFormat, readPairs, type BadLine, type DataFormat } from './formats.ts';

/**
 * Imports a parallel corpus as a new dataset, all-or-nothing: the pairs go into
 * a staged dataset no reader sees (store/staged-datasets.ts), a chunk of rows
 * per short transaction, and one short transaction publishes it. A bad line
 * (without --skip-bad), a cancel or an error deletes what was staged; a killed
 * process leaves it invisible until the next open of the store deletes it.
 * Rows go in with multi-row INSERTs of 100 pairs, the fastest pattern for
 * better-sqlite3.
 */
export interface ImportOptions {
  name: string;
  files: string[];
  format?: DataFormat;
  skipBad?: boolean;
  srcCol?: string;
  tgtCol?: string;
  description?: string;
  /**
   * A split given as separate files: `files` are then the training part and
   * these the validation/test parts (same format). All go into the one
   * dataset, and a split named `splitName` (default "files") records which
   * pair came from which part, in the same transaction.
   */
  validFiles?: string[];
  testFiles?: string[];
  splitName?: string;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface ImportResult {
  datasetId: number;
  name: string;
  pairs: number;
  skipped: BadLine[];
  seconds: number;
  /** set when validFiles/testFiles were given */
  split?: SplitInfo;
}

const ROWS_PER_INSERT = 100;
/**
 * Pairs written per transaction: a few milliseconds of write lock, so trainers,
 * edits and other commands write between chunks instead of waiting for the file.
 */
const ROWS_PER_CHUNK = 2_000;
/** How long an import waits for a store another process keeps locked before giving up. */
const BUSY_DEADLINE_MS = 120_000;

export async function importDataset(db: Db, opts: ImportOptions): Promise<ImportResult> {
  const format = opts.format ?? detectFormat(opts.files);
  if (!DATA_FORMATS.includes(format))
    throw badInput(`unknown format "${format}" (${DATA_FORMATS.join(', ')})`, { field: 'format' });
  if (!opts.name.trim()) throw badInput('a dataset needs a name', { field: 'name' });
  const parts: Array<{ part: SplitPart; files: string[] }> = [{ part: 'train', files: opts.files }];
  if (opts.validFiles?.length) parts.push({ part: 'valid', files: opts.validFiles });
  if (opts.testFiles?.length) parts.push({ part: 'test', files: opts.testFiles });
  const allFiles = parts.flatMap((p) => p.files);
  const totalBytes = allFiles.reduce((s, f) => s + safeSize(f), 0);
  const partEnds: number[] = [];
  const started = performance.now();
  const now = new Date().toISOString();
  const skipped: BadLine[] = [];
  let rows = 0;
  let bytes = 0;
  let lastReport = 0;

  const insertMany = db.prepare(
    `INSERT INTO pairs (dataset_id, ord, source, target, meta, created_at, updated_at) ` +
      `VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
  );
  const insertOne = db.prepare(
    'INSERT INTO pairs (dataset_id, ord, source, target, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const params: unknown[] = [];
  /** One short transaction per chunk; a store locked past the busy timeout is waited for, off the event loop. */
  const writeChunk = () =>
    whileBusy(() =>
      db.transaction(() => {
        let i = 0;
        for (; i + 7 * ROWS_PER_INSERT <= params.length; i += 7 * ROWS_PER_INSERT)
          insertMany.run(params.slice(i, i + 7 * ROWS_PER_INSERT));
        for (; i < params.length; i += 7) insertOne.run(params.slice(i, i + 7));
      })(),
    ).then(() => {
      params.length = 0;
    });

  const origin = parts.map((p) => p.files.map((f) => basename(f)).join(' + ')).join(' | ');
  const datasetId = await whileBusy(() =>
    stageDataset(db, { name: opts.name, description: opts.description ?? '', origin: `${format}: ${origin}` }),
  );
  try {
    let bytesBefore = 0;
    for (const part of parts) {
      for await (const item of readPairs(format, part.files, {
        srcCol: opts.srcCol,
        tgtCol: opts.tgtCol,
        onBytes: (b) => (bytes = bytesBefore + b),
      })) {
        if ('bad' in item) {
          if (!opts.skipBad) {
            const { file, line, message } = item.bad;
            throw badInput(`${file}:${line}: ${message} (nothing was imported; --skip-bad skips such lines)`, {
              file,
              line,
            });
          }
          skipped.push(item.bad);
          continue;
        }
        rows++;
        params.push(datasetId, rows, item.pair.source, item.pair.target, item.pair.meta, now, now);
        if (params.length === 7 * ROWS_PER_CHUNK) {
          await writeChunk();
          const t = performance.now();
          if (t - lastReport > 100) {
            lastReport = t;
            if (opts.signal?.aborted)
              throw new WorkbenchError('cancelled', `import of "${opts.name}" cancelled; nothing was imported`);
            report(opts, rows, bytes, totalBytes, started);
            // Let progress events, cancel requests and the UI's other requests through.
            await new Promise<void>((r) => setImmediate(r));
          }
        }
      }
      if (part.part !== 'train' && rows === partEnds[partEnds.length - 1])
        throw badInput(`${part.files.join(', ')}: no pairs found`, { file: part.files[0] });
      partEnds.push(rows);
      bytesBefore += part.files.reduce((n, f) => n + safeSize(f), 0);
    }
    if (rows === 0) throw badInput(`${opts.files.join(', ')}: no pairs found`, { file: opts.files[0] });
    if (opts.signal?.aborted)
      throw new WorkbenchError('cancelled', `import of "${opts.name}" cancelled; nothing was imported`);
    await writeChunk();
    let split: SplitInfo | undefined;
    if (parts.length > 1) {
      // ords are 1..rows in file order, so each part is one ord range.
      const members: Array<[number, SplitPart]> = [];
      const counts: Record<SplitPart, number> = { train: 0, valid: 0, test: 0 };
      for (const r of db
        .prepare('SELECT id, ord FROM pairs WHERE dataset_id = ? ORDER BY ord')
        .iterate(datasetId) as Iterable<{ id: number; ord: number }>) {
        const part = parts[partEnds.findIndex((end) => r.ord <= end)].part;
        members.push([r.id, part]);
        counts[part]++;
      }
      const method = { files: Object.fromEntries(parts.map((p) => [p.part, p.files.map((f) => basename(f))])) };
      // Still invisible: the split's rows belong to the staged dataset until it is published.
      split = await whileBusy(() => writeSplit(db, datasetId, opts.splitName ?? 'files', method, members, counts));
    }
    // Version 1 (versions.ts) is published with the pairs: hashed first, outside the write lock.
    const hash = datasetHash(db, datasetId);
    await whileBusy(() =>
      db.transaction(() => insertHeadSnapshot(db, datasetId, 'version 1', { kind: 'import', format, origin }, hash))(),
    );
    await whileBusy(() => publishStagedDataset(db, datasetId, rows));
    report(opts, rows, totalBytes, totalBytes, started);
    return {
      datasetId,
      name: opts.name,
      pairs: rows,
      skipped,
      seconds: (performance.now() - started) / 1000,
      ...(split ? { split } : {}),
    };
  } catch (err) {
    discardStagedDataset(db, datasetId);
    throw err;
  }
}

/** Retries a write the store refused as busy; past the deadline, a conflict the user can act on. */
function whileBusy<T>(write: () => T): Promise<T> {
  return retryWhileBusy(write, { deadlineMs: BUSY_DEADLINE_MS }).catch((err: unknown) => {
    if (!isBusy(err)) throw err;
    throw conflict(
      `the experiment store stayed locked by another process for ` +
        `${BUSY_DEADLINE_MS / 1000} s; nothing was imported, try again`,
    );
  });
}

function report(opts: ImportOptions, rows: number, bytes: number, totalBytes: number, started: number): void {
  if (!opts.onProgress) return;
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? rows / seconds : 0;
  const frac = totalBytes > 0 ? bytes / totalBytes : 0;
  opts.onProgress({
    rows,
    bytes,
    totalBytes,
    rowsPerSecond: rate,
    etaSeconds: frac > 0 ? (seconds * (1 - frac)) / frac : null,
  });
}

function safeSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    throw badInput(`${file}: no such file`, { file });
  }
}
