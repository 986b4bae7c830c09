/**
 * Decoding speed of a trained Tatoeba model on real text, per backend:
 * greedy and beam-5 latency per sentence (one sentence at a time, as the
 * playground decodes) and batch throughput (sentences/s, as `evaluate` decodes),
 * with the batched / one-at-a-time ratio measured in the same process.
 *
 *   node --import tsx bench/decode.ts [--db PATH --run ID] [--n 100] [--batch 64]
 *        [--backends wasm,wasm-blas,cpu] [--beams 1,5] [--repeat 2] [--epochs 3] [--preset tatoeba-attention]
 *
 * Without --run, a quick model is trained first (preset, --epochs, real trainer
 * and data) in a temporary store. Sources: the first N lines of
 * ../shared/data/flores200-devtest.en.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { importDataset } from '../src-main/core/data/import.ts';
import { loadTranslator, type Translation } from '../src-main/core/inference/translator.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { getRun } from '../src-main/core/store/runs.ts';
import type { BackendPreference } from '../src-main/core/tf/backend.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const N = Number(arg('n', '100'));
const BATCH = Number(arg('batch', '64'));
const BEAMS = arg('beams', '1,5').split(',').map(Number);
const REPEAT = Number(arg('repeat', '2'));
// wasm-blas replaces wasm's matmul kernel for the rest of the process: plain wasm is measured first.
const BACKENDS = (arg('backends', 'wasm,wasm-blas,cpu').split(',') as BackendPreference[]).sort(
  (a, b) => Number(a === 'wasm-blas' && b === 'wasm') - Number(a === 'wasm' && b === 'wasm-blas'),
);
const DATA = new URL('../../shared/data/', import.meta.url).pathname;

async function trainQuickModel(): Promise<{ db: Db; runId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-bench-decode-'));
  const dbPath = join(dir, 'experiments.db');
  const db = openDb(dbPath);
  await importDataset(db, { name: 'tatoeba', files: [join(DATA, 'tatoeba-hin-eng.tsv')] });
  const preset = arg('preset', 'tatoeba-attention');
  const t0 = performance.now();
  // Trained by the CLI in its own processes: the BLAS matmul that training registers on wasm would
  // otherwise stay registered here and the plain-wasm figures would not be plain wasm.
  const cli = new URL('../bin/workbench.js', import.meta.url).pathname;
  const r = spawnSync(
    process.execPath,
    [
      cli,
      '--db',
      dbPath,
      'train',
      '--dataset',
      'tatoeba',
      '--preset',
      preset,
      '--set',
      `max_epochs=${arg('epochs', '3')}`,
      '--json',
    ],
    { encoding: 'utf8' },
  );
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
    runId?: number;
    status?: string;
    error?: string;
  };
  if (r.status !== 0 || last.status !== 'completed' || !last.runId)
    throw new Error(`training the bench model failed: ${last.error ?? r.stderr}`);
  const run = getRun(db, last.runId);
  console.log(
    `trained ${preset} on Tatoeba: ${run.step} steps (${run.epoch.toFixed(1)} epochs, ${run.backend}) ` +
      `in ${((performance.now() - t0) / 1000).toFixed(0)} s; reuse it with --db ${dbPath} --run ${run.id}`,
  );
  return { db, runId: run.id };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const firstIds = (ts: Translation[]) => ts.map((t) => t.hypotheses[0].tokens.join(' '));

async function main(): Promise<void> {
  const given = arg('run', '');
  const { db, runId } = given
    ? { db: openDb(arg('db', 'experiments.db')), runId: Number(given) }
    : await trainQuickModel();
  const run = getRun(db, runId);
  const sources = readFileSync(join(DATA, 'flores200-devtest.en'), 'utf8').split('\n').filter(Boolean).slice(0, N);
  const words = sources.reduce((s, l) => s + l.split(/\s+/).length, 0) / sources.length;
  console.log(
    `run ${runId} (${run.config.model_type}, ${run.config.attention}, hidden ` +
      `${run.config.hidden_size}); ${sources.length} FLORES devtest sentences, ` +
      `${words.toFixed(1)} words on average; batch ${BATCH}; load average ` +
      `${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
  );
  for (const backend of BACKENDS) {
    let translator;
    try {
      translator = await loadTranslator(db, runId, 'best', backend);
    } catch (err) {
      console.log(`${backend}: skipped (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    for (const beam of BEAMS) {
      const settings = { beam_size: beam, n_best: 1 };
      await translator.translate(sources.slice(0, 2), settings); // warm-up: kernels compiled, weights on this backend
      const before = tf.memory().numTensors;
      // The machine is shared: the two modes alternate and each keeps its best of REPEAT passes.
      let batchMs = Infinity;
      let singleMs = Infinity;
      let latencies: number[] = [];
      let batched: Translation[] = [];
      const single: Translation[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const t0 = performance.now();
        batched = await translator.translate(sources, settings, BATCH);
        batchMs = Math.min(batchMs, performance.now() - t0);
        const pass: number[] = [];
        single.length = 0;
        for (const s of sources) {
          const t1 = performance.now();
          single.push((await translator.translate([s], settings))[0]);
          pass.push(performance.now() - t1);
        }
        const total = pass.reduce((a, b) => a + b, 0);
        if (total < singleMs) [singleMs, latencies] = [total, pass];
      }
      const outLen = batched.reduce((s, t) => s + t.hypotheses[0].tokens.length, 0) / batched.length;
      const same = firstIds(batched).filter((x, i) => x === firstIds(single)[i]).length;
      console.log(
        `${backend} ${beam === 1 ? 'greedy' : `beam-${beam}`}: one at ` +
          `a time ${(singleMs / sources.length).toFixed(1)} ms/sentence ` +
          `(p50 ${pct(latencies, 0.5).toFixed(1)}, p90 ${pct(latencies, 0.9).toFixed(1)} ` +
          `ms; ${((sources.length / singleMs) * 1000).toFixed(1)} sent/s)` +
          ` | batched ${((sources.length / batchMs) * 1000).toFixed(1)} ` +
          `sent/s (${(batchMs / sources.length).toFixed(1)} ms/sentence)` +
          ` | batched ${(singleMs / batchMs).toFixed(1)}× faster | ${outLen.toFixed(1)} ` +
          `output tokens/sentence, identical outputs ${same}/${sources.length}` +
          ` | tensors leaked ${tf.memory().numTensors - before}`,
      );
    }
  }
}

await main();
