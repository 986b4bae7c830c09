// Training throughput against PyTorch on the SAME batches: for each preset (default tatoeba-lstm and
// tatoeba-attention, the Tatoeba config as the trainer runs it: dropout, label smoothing, clipping, Adam),
// the trainer's shuffled, length-bucketed batches of ../shared/data/tatoeba-hin-eng.tsv are written once
// (lib/tatoeba-plan.ts) and trained on, in the same order, by the workbench (per backend, in its own
// process: a tfjs backend is process-global) and by its PyTorch twin (bench/pytorch_train.py). Each row
// times --steps updates (default 200) after --warmup, --repeats times (default 3, rows interleaved so each
// repeat sees the same machine), and prints target tokens/s min/median/max, ms and CPU ms a step
// (medians), peak RSS, and the ratio of medians to PyTorch at the same thread count.
// Options: --presets=A,B --backends=wasm-blas,wasm,cpu,tensorflow --threads=1,2 --steps=N --warmup=N
//          --repeats=N --torch=0 (workbench rows only)
// Threads: OpenBLAS starts one thread per core unless told, so a PyTorch "set_num_threads(1)" still
// multiplies on every core. Each row pins OpenBLAS to its thread count and is compared with PyTorch given
// the same: one intra-op thread, OpenBLAS on N (its fastest setup here: 2 intra-op threads on 2 cores ran
// ~4x slower, measured). wasm and cpu rows run on one thread; libtensorflow uses its own pool.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunConfig } from '../src-main/common/config.ts';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { makePlanStep } from './lib/lstm-step.ts';
import { readPlan, tatoebaPlan, writePlan } from './lib/tatoeba-plan.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const steps = Number(arg('steps', '200'));
const warmup = Number(arg('warmup', '5'));

/** What one timed run of one row measures. */
interface Measurement {
  backend: string;
  tokens_per_s: number;
  ms_per_step: number;
  cpu_ms_per_step: number;
  peak_rss_mb: number;
  note?: string;
}

const configOf = (preset: string) => buildRunConfig({ preset, overrides: { dataset: 'tatoeba' } });

async function measure(backend: BackendPreference, preset: string, planFile: string, n: number): Promise<Measurement> {
  const info = await initBackend(backend);
  const step = makePlanStep(configOf(preset), readPlan(planFile));
  for (let i = 0; i < warmup; i++) await step();
  let tokens = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) tokens += (await step()).tokens;
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return {
    backend: info.name,
    tokens_per_s: tokens / s,
    ms_per_step: (1000 * s) / n,
    cpu_ms_per_step: (cpu.user + cpu.system) / 1000 / n,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

/** The last JSON line a child printed, or a failed measurement with the first error line. */
function childResult(r: ReturnType<typeof spawnSync>, backend: string, missing: string): Measurement {
  const line = String(r.stdout).trim().split('\n').at(-1) ?? '';
  if (r.status === 0 && line.startsWith('{')) return JSON.parse(line) as Measurement;
  const why =
    String(r.stderr)
      .trim()
      .split('\n')
      .find((l) => /Error|error/.test(l)) ?? missing;
  return {
    backend,
    tokens_per_s: NaN,
    ms_per_step: NaN,
    cpu_ms_per_step: NaN,
    peak_rss_mb: NaN,
    note: why.slice(0, 90),
  };
}

if (process.argv.includes('--child')) {
  const [backend, preset, plan] = [arg('backend', 'wasm-blas'), arg('preset', 'tatoeba-lstm'), arg('plan', '')];
  const n = Number(arg('n', String(steps)));
  const r = await measure(backend as BackendPreference, preset, plan, n).catch((err: Error): Measurement => ({
    backend,
    tokens_per_s: NaN,
    ms_per_step: NaN,
    cpu_ms_per_step: NaN,
    peak_rss_mb: NaN,
    note: err.message.slice(0, 110),
  }));
  process.stdout.write(JSON.stringify(r) + '\n');
} else {
  const presets = arg('presets', 'tatoeba-lstm,tatoeba-attention').split(',');
  const backends = arg('backends', 'wasm-blas').split(',');
  const threadCounts = arg('threads', '1,2').split(',').map(Number);
  const repeats = Number(arg('repeats', '3'));
  const withTorch = arg('torch', '1') !== '0';
  const dir = mkdtempSync(join(tmpdir(), 'bench-train-'));
  const pinned = (t: number) => ({ ...process.env, OPENBLAS_NUM_THREADS: String(t), OMP_NUM_THREADS: '1' });

  interface Row {
    preset: string;
    side: string;
    threads: number;
    run: () => Measurement;
    results: Measurement[];
  }
  const rows: Row[] = [];
  for (const preset of presets) {
    const config = configOf(preset);
    const plan = tatoebaPlan(config, warmup + steps);
    const planFile = join(dir, `${preset}.json`);
    writePlan(planFile, plan, config);
    const tokens = plan.batches
      .slice(warmup)
      .reduce((s, b) => s + b.reduce((t, i) => t + plan.examples[i][1].length + 1, 0), 0);
    console.log(
      `${preset}: vocab ${plan.srcVocab}/${plan.trgVocab}, ${steps} batches of ` +
        `~${Math.round(tokens / steps)} target tokens (batch ${config.batch_size} sentences)`,
    );
    for (const threads of threadCounts) {
      for (const backend of backends) {
        // libtensorflow uses every core whatever we say; wasm and cpu one thread; wasm-blas what OpenBLAS is given.
        const own = backend === 'wasm-blas' ? threads : backend.startsWith('tensorflow') ? availableParallelism() : 1;
        if (own !== threads && threads !== threadCounts[0]) continue; // one row for a backend that ignores the count
        const n = backend === 'cpu' ? Math.max(2, Math.round(steps / 20)) : steps;
        const script = new URL(import.meta.url).pathname;
        const childArgs = [
          '--import',
          'tsx',
          script,
          '--child',
          `--backend=${backend}`,
          `--preset=${preset}`,
          `--plan=${planFile}`,
          `--n=${n}`,
          `--warmup=${warmup}`,
        ];
        const run = () =>
          childResult(
            spawnSync(process.execPath, childArgs, { encoding: 'utf8', env: pinned(threads) }),
            backend,
            'unavailable',
          );
        rows.push({ preset, side: backend, threads: own, run, results: [] });
      }
      if (!withTorch) continue;
      const model = config.attention === 'none' ? 'lstm' : 'attention';
      const pyArgs = [
        new URL('./pytorch_train.py', import.meta.url).pathname,
        planFile,
        `--model=${model}`,
        `--steps=${steps}`,
        `--warmup=${warmup}`,
      ];
      const missing = 'python3-torch not installed (apt-get install python3-torch libopenblas0-pthread)';
      const run = () =>
        childResult(
          spawnSync('/usr/bin/python3', pyArgs, { encoding: 'utf8', env: pinned(threads) }),
          'pytorch',
          missing,
        );
      rows.push({ preset, side: 'pytorch', threads, run, results: [] });
    }
  }
  for (let r = 0; r < repeats; r++) for (const row of rows) row.results.push(row.run());

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // NaN arrives as null
  const f = (v: number | null | undefined, d: number) => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(d));
  const stat = (row: Row, key: keyof Omit<Measurement, 'backend' | 'note'>) =>
    row.results.map((m) => m[key]).filter((v) => v != null && Number.isFinite(v));
  console.log(
    `\n${steps} steps a row after ${warmup} warm-up, ${repeats} repeats; ` +
      `tok/s = real target tokens (<eos> included) per wall second`,
  );
  console.log(
    'preset              side         threads   tok/s min  median    ' +
      ' max   ms/step  CPU ms/step  peak MiB   vs PyTorch (tok/s; CPU)',
  );
  for (const row of rows) {
    const tok = stat(row, 'tokens_per_s');
    const ref = rows.find((o) => o.side === 'pytorch' && o.preset === row.preset && o.threads === row.threads);
    const refTok = ref ? stat(ref, 'tokens_per_s') : [];
    const ratio =
      row.side !== 'pytorch' && tok.length && refTok.length ? `${(median(tok) / median(refTok)).toFixed(2)}x` : '';
    const cpuRatio =
      ratio && ref
        ? `; ${(median(stat(ref, 'cpu_ms_per_step')) / median(stat(row, 'cpu_ms_per_step'))).toFixed(2)}x`
        : '';
    const nums = [
      f(Math.min(...tok), 0).padStart(11),
      f(median(tok), 0).padStart(7),
      f(Math.max(...tok), 0).padStart(7),
    ];
    const per = [
      f(median(stat(row, 'ms_per_step')), 1).padStart(9),
      f(median(stat(row, 'cpu_ms_per_step')), 1).padStart(12),
      f(median(stat(row, 'peak_rss_mb')), 0).padStart(9),
    ];
    const note = row.results.find((m) => m.note)?.note;
    console.log(
      `${row.preset.padEnd(19)} ${row.side.padEnd(12)} ${String(row.threads).padStart(7)} ` +
        `${nums.join(' ')} ${per.join(' ')}   ${ratio}${cpuRatio}${note ? `  (${note})` : ''}`,
    );
  }
  console.log(
    'threads: OpenBLAS threads next to one JS (or PyTorch intra-op) thread; CPU ms: user+system of the process',
  );
}
