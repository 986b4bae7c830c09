// Training throughput (target tokens/s) and peak memory of the Tatoeba LSTM config (batch 64, emb 128,
// hidden 256, no attention; vocab 2000/3000; 10+10 tokens) per available backend, next to the same
// model trained by PyTorch on this machine, measured in the same run. Each backend runs in its own
// process (a tfjs backend is process-global). Options: --steps=N --backends=wasm,cpu --threads=1,2
// (the thread counts for OpenBLAS-backed rows and PyTorch; the ratio compares equal counts).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { B, makeTrainStep, S, SV, T, TV } from './lib/lstm-step.ts';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const steps = Number(arg('steps', '20'));

interface Row { backend: string; threads: number; tokens_per_s: number; ms_per_step: number; peak_rss_mb: number; note?: string }
/** What a child measures; the parent knows the thread count it gave it. */
type Measurement = Omit<Row, 'threads'>;

async function measure(backend: BackendPreference): Promise<Measurement> {
  const info = await initBackend(backend);
  const { step: trainStep, tokens } = makeTrainStep();
  let peak = process.memoryUsage().rss;
  const step = async () => {
    await trainStep();
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const warm = backend === 'cpu' ? 1 : 3;
  for (let i = 0; i < warm; i++) await step();
  const n = backend === 'cpu' ? Math.max(2, Math.round(steps / 10)) : steps;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await step();
  const s = (performance.now() - t0) / 1000;
  return { backend: info.name, tokens_per_s: (n * tokens) / s, ms_per_step: (1000 * s) / n, peak_rss_mb: peak / 2 ** 20 };
}

if (process.argv.includes('--child')) {
  const backend = arg('backend', 'wasm');
  const r: Measurement = await measure(backend as BackendPreference).catch((err: Error) => ({ backend, tokens_per_s: NaN, ms_per_step: NaN, peak_rss_mb: NaN, note: err.message.slice(0, 110) }));
  process.stdout.write(JSON.stringify(r) + '\n');
} else {
  // Thread budgets compared like for like: OpenBLAS starts one thread per core unless told, so a
  // PyTorch "set_num_threads(1)" still multiplies on every core. Each row pins OpenBLAS to its
  // thread count and is compared with PyTorch given the same: one intra-op thread, OpenBLAS on N
  // (its fastest setup here: 2 intra-op threads on 2 cores run ~4x slower, measured).
  const rows: Row[] = [];
  const threadCounts = arg('threads', '1,2').split(',').map(Number);
  const pinned = (t: number) => ({ ...process.env, OPENBLAS_NUM_THREADS: String(t) });
  const fail = (backend: string, threads: number, note: string): Row => ({ backend, threads, tokens_per_s: NaN, ms_per_step: NaN, peak_rss_mb: NaN, note });
  for (const backend of arg('backends', 'tensorflow-gpu,tensorflow,wasm-blas,wasm,cpu').split(',')) {
    // libtensorflow uses every core whatever we say; wasm and cpu one thread; wasm-blas what OpenBLAS is given.
    const counts = backend === 'wasm-blas' ? threadCounts : backend.startsWith('tensorflow') ? [availableParallelism()] : [1];
    for (const threads of counts) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', `--backend=${backend}`, `--steps=${steps}`], { encoding: 'utf8', env: pinned(threads) });
      const line = r.stdout.trim().split('\n').at(-1) ?? '';
      if (r.status === 0 && line.startsWith('{')) rows.push({ ...(JSON.parse(line) as Measurement), threads });
      else rows.push(fail(backend, threads, (r.stderr.trim().split('\n').find((l) => /Error|error/.test(l)) ?? 'unavailable').slice(0, 90)));
    }
  }
  for (const threads of threadCounts) {
    const r = spawnSync('/usr/bin/python3', [new URL('./pytorch_lstm.py', import.meta.url).pathname, '1', String(steps)], { encoding: 'utf8', env: { ...pinned(threads), OMP_NUM_THREADS: '1' } });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status === 0 && line.startsWith('{')) rows.push({ ...(JSON.parse(line) as Measurement), threads });
    else rows.push(fail('pytorch', threads, 'python3-torch not installed (apt-get install python3-torch libopenblas0-pthread)'));
  }
  const pytorch = (threads: number) => rows.find((r) => r.backend.startsWith('pytorch') && r.threads === threads && Number.isFinite(r.tokens_per_s));
  console.log(`seq2seq LSTM training, batch ${B}, emb 128, hidden 256, vocab ${SV}/${TV}, ${S}+${T} tokens, ${steps} steps after warm-up`);
  console.log('backend                threads    tok/s   ms/step  peak MiB   vs PyTorch, same threads');
  for (const r of rows) {
    const ref = pytorch(r.threads);
    const ratio = ref && Number.isFinite(r.tokens_per_s) ? `${(r.tokens_per_s / ref.tokens_per_s).toFixed(2)}x` : '';
    const f = (v: number | null, d: number) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(d)); // NaN arrives as null in JSON
    const name = r.backend.replace(/ \(\d+ threads?\)$/, '');
    console.log(`${name.padEnd(22)} ${String(r.threads).padStart(7)} ${f(r.tokens_per_s, 0).padStart(8)} ${f(r.ms_per_step, 1).padStart(9)} ${f(r.peak_rss_mb, 0).padStart(9)}   ${ratio}${r.note ? `  (${r.note})` : ''}`);
  }
  console.log('threads: OpenBLAS threads next to one JS (or PyTorch intra-op) thread; libtensorflow: its own pool');
}
