// Memory of a training run on a large dataset: N synthetic English–Hindi pairs (default 1M) in a
// temporary store, then a real training job (the worker's runTrainingJob, in a child process) for a
// few updates. The child prints peak RSS and heap while preparing and while training, and the heap
// still held once training runs (after a GC): what a run keeps per pair for its whole life.
// Options: --pairs=N --steps=N --backend=wasm|wasm-blas|cpu|auto --keep (keep the temp store)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDataset } from '../src-main/core/data/import.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { Rng } from '../src-main/core/rng.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const pairs = Number(arg('pairs', '1000000'));
const steps = Number(arg('steps', '20'));
const backend = arg('backend', 'auto');

const dir = mkdtempSync(join(tmpdir(), 'wb-bench-train-memory-'));
const file = join(dir, 'pairs.tsv');
await writeSyntheticPairs(file, pairs);
const dbPath = join(dir, 'bench.db');
const db = openDb(dbPath);
const t0 = performance.now();
await importDataset(db, { name: 'synthetic', files: [file] });
console.log(`${pairs.toLocaleString()} synthetic pairs imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const run = createRunFromRequest(db, {
  dataset: 'synthetic',
  preset: 'tatoeba-lstm',
  set: [
    `max_steps=${steps}`,
    'embedding_dim=64',
    'hidden_size=128',
    'src_voc_limit=8000',
    'trg_voc_limit=8000',
    'valid_ratio=0.001',
    'test_ratio=0.001',
    'max_valid_sents=64',
    'logging_freq=5',
  ],
});
db.close();

// A child process, so its peaks are the job's alone (the import above is not counted).
const child = join(import.meta.dirname, 'lib', 'train-memory-job.ts');
const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, dbPath, String(run.id), backend], {
  stdio: 'inherit',
});
if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`store kept: ${dbPath}`);
process.exit(r.status ?? 1);

/** Sentences of 3–30 words drawn (Zipf-like) from 30k invented words per side. */
async function writeSyntheticPairs(path: string, n: number): Promise<void> {
  const rng = new Rng(12);
  const word = (alphabet: string, i: number) => {
    let w = '';
    for (let x = i + 1; x > 0; x = Math.floor(x / alphabet.length)) w += alphabet[x % alphabet.length];
    return w;
  };
  const latin = 'abcdefghijklmnopqrstuvwxyz';
  const devanagari = 'कखगघचछजझटठडढतथदधनपफबभमयरलवशसह';
  const draw = () => Math.floor(30_000 ** rng.next()) - 1; // log-uniform ranks: few frequent words, a long tail
  const sentence = (alphabet: string, len: number) =>
    Array.from({ length: len }, () => word(alphabet, draw())).join(' ');
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const len = 3 + Math.floor(rng.next() * 28);
    const line = `${sentence(latin, len)}.\t${sentence(devanagari, len + Math.floor(rng.next() * 5) - 2)}।\n`;
    if (!out.write(line)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise((res) => out.end(res));
}
