import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src-main/core/rng.ts';
import { deleteDataset, findDataset, listDatasets } from '../../src-main/core/store/datasets.ts';
import { openDb } from '../../src-main/core/store/db.ts';
import { importDataset } from '../../src-main/core/data/import.ts';

/**
 * Fault injection for the store, shared by test/store-faults.test.ts (a handful of
 * kills) and bench/store-faults.ts (many, seeded): a child process imports a file or
 * edits pairs (store-fault-child.ts) and is killed with SIGKILL at a random moment;
 * then checkStore says what a user would find wrong with the store, if anything.
 */
const child = fileURLToPath(new URL('./store-fault-child.ts', import.meta.url));

/** A TSV of `pairs` pairs in blocks of `block`: source "bN sI", target "bN v0" (a block's targets are all equal). */
export function writeCorpus(file: string, pairs: number, block = 20): void {
  const lines: string[] = [];
  for (let i = 0; i < pairs; i++) lines.push(`b${Math.floor(i / block)} s${i}\tb${Math.floor(i / block)} v0`);
  writeFileSync(file, lines.join('\n') + '\n');
}

export interface KillOutcome {
  /** the child was still working when killed (else it had finished) */
  killed: boolean;
  /** ms after its "go" the kill was sent */
  afterMs: number;
  /** ms from its "go" to its end */
  ranMs: number;
}

/** Runs the child with `args`, kills it `delayMs` after it says "go" (or lets it finish). */
export function killChildAfter(args: string[], delayMs: number): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    let go = 0;
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      const before = out;
      out += d.toString();
      if (!before.includes('go\n') && out.includes('go\n')) {
        go = performance.now();
        timer = setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const ranMs = performance.now() - go;
      if (signal === 'SIGKILL') resolve({ killed: true, afterMs: delayMs, ranMs });
      else if (code === 0) resolve({ killed: false, afterMs: delayMs, ranMs });
      else reject(new Error(`fault child ${args[0]} failed (${code}): ${err.slice(-2000)}`));
    });
  });
}

/**
 * Opens the store as the next command would and lists every problem: integrity,
 * foreign keys, staged leftovers, pair counts, orphan pairs, a partly imported
 * dataset `imported` (must have `importedPairs` or not exist), and blocks of the
 * edited dataset `edited` that are half edited or half deleted.
 */
export function checkStore(
  dbPath: string,
  opts: { imported?: string; importedPairs?: number; edited?: string; block?: number } = {},
): string[] {
  const db = openDb(dbPath);
  const problems: string[] = [];
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) problems.push(`foreign_key_check: ${fk.length} rows`);
    const staged = db.prepare(`SELECT count(*) FROM datasets WHERE state <> 'ready'`).pluck().get() as number;
    if (staged) problems.push(`${staged} staged datasets left after open`);
    const orphans = db
      .prepare(`SELECT count(*) FROM pairs WHERE dataset_id NOT IN (SELECT id FROM datasets WHERE state = 'ready')`)
      .pluck()
      .get() as number;
    if (orphans) problems.push(`${orphans} pairs outside published datasets`);
    for (const d of listDatasets(db)) {
      const n = db.prepare('SELECT count(*) FROM pairs WHERE dataset_id = ?').pluck().get(d.id) as number;
      if (n !== d.pairCount) problems.push(`${d.name}: pair_count ${d.pairCount} but ${n} pairs`);
    }
    if (opts.imported) {
      const d = findDataset(db, opts.imported);
      if (d) {
        const ords = db
          .prepare('SELECT min(ord) AS lo, max(ord) AS hi, count(*) AS n FROM pairs WHERE dataset_id = ?')
          .get(d.id) as { lo: number; hi: number; n: number };
        if (
          d.pairCount !== opts.importedPairs ||
          ords.n !== opts.importedPairs ||
          ords.lo !== 1 ||
          ords.hi !== opts.importedPairs
        ) {
          problems.push(
            `${d.name}: partly imported (${ords.n} of ${opts.importedPairs} pairs, ords ${ords.lo}..${ords.hi})`,
          );
        }
      }
    }
    if (opts.edited) {
      const d = findDataset(db, opts.edited);
      if (!d) problems.push(`${opts.edited}: gone`);
      else {
        const blocks = db
          .prepare(
            `SELECT substr(source, 1, instr(source, ' ') - 1) AS b, count(*) AS n, ` +
              `count(DISTINCT target) AS targets FROM pairs WHERE dataset_id = ? GROUP BY b`,
          )
          .all(d.id) as Array<{ b: string; n: number; targets: number }>;
        for (const b of blocks) {
          if (b.n !== opts.block)
            problems.push(`${opts.edited}: block ${b.b} has ${b.n} of ${opts.block} pairs (half deleted)`);
          if (b.targets !== 1)
            problems.push(`${opts.edited}: block ${b.b} has ${b.targets} different targets (half edited)`);
        }
      }
    }
  } finally {
    db.close();
  }
  return problems;
}

export interface FaultRun {
  kills: number;
  finished: number;
  problems: string[];
  /** the longest first open after a kill (it deletes what a killed import staged) */
  maxOpenMs: number;
}

/** Opens and closes the store as the next command would (cleaning up after the kill); how long that took. */
function timedOpen(dbPath: string): number {
  const t0 = performance.now();
  openDb(dbPath).close();
  return performance.now() - t0;
}

/**
 * Imports of a `pairs`-pair file into one store until `kills` of them were killed
 * mid-import (at most 2 x kills rounds), each at a random moment from its start to
 * a little past how long an undisturbed import takes (measured first, so kills
 * also land in the publish and after it); the store is checked after each round.
 * A finished import is deleted so that the next round imports the name again.
 */
export async function importFaults(
  dir: string,
  opts: { kills: number; pairs: number; seed: number },
): Promise<FaultRun> {
  const dbPath = `${dir}/import-faults.db`;
  const file = `${dir}/import-faults.tsv`;
  writeCorpus(file, opts.pairs);
  openDb(dbPath).close();
  const rng = new Rng(opts.seed);
  const run: FaultRun = { kills: 0, finished: 0, problems: [], maxOpenMs: 0 };
  const calibration = await killChildAfter(['import', dbPath, file, 'big'], 600_000);
  deleteBig(dbPath);
  for (let i = 0; run.kills < opts.kills && i < 2 * opts.kills; i++) {
    const outcome = await killChildAfter(
      ['import', dbPath, file, 'big'],
      Math.round(rng.next() * 1.1 * calibration.ranMs),
    );
    if (outcome.killed) run.kills++;
    else run.finished++;
    run.maxOpenMs = Math.max(run.maxOpenMs, timedOpen(dbPath));
    for (const p of checkStore(dbPath, { imported: 'big', importedPairs: opts.pairs }))
      run.problems.push(`round ${i} (kill after ${outcome.afterMs} ms): ${p}`);
    deleteBig(dbPath);
  }
  return run;
}

function deleteBig(dbPath: string): void {
  const db = openDb(dbPath);
  const d = findDataset(db, 'big');
  if (d) deleteDataset(db, d.id);
  db.close();
}

/**
 * `kills` edit sessions on one dataset (they never finish), each killed at a random moment up to `maxDelayMs`; checked
 * after each.
 */
export async function editFaults(
  dir: string,
  opts: { kills: number; pairs: number; maxDelayMs: number; seed: number },
): Promise<FaultRun> {
  const dbPath = `${dir}/edit-faults.db`;
  const file = `${dir}/edit-faults.tsv`;
  const block = 20;
  writeCorpus(file, opts.pairs, block);
  const db = openDb(dbPath);
  await importDataset(db, { name: 'edited', files: [file] });
  db.close();
  const rng = new Rng(opts.seed);
  const run: FaultRun = { kills: 0, finished: 0, problems: [], maxOpenMs: 0 };
  for (let i = 0; i < opts.kills; i++) {
    const outcome = await killChildAfter(
      ['edits', dbPath, 'edited', String(opts.seed * 1000 + i)],
      Math.round(rng.next() * opts.maxDelayMs),
    );
    if (outcome.killed) run.kills++;
    else run.finished++;
    run.maxOpenMs = Math.max(run.maxOpenMs, timedOpen(dbPath));
    for (const p of checkStore(dbPath, { edited: 'edited', block }))
      run.problems.push(`round ${i} (kill after ${outcome.afterMs} ms): ${p}`);
  }
  return run;
}
