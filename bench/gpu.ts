// The GPU check: trains the Tatoeba LSTM, attention and Transformer presets' models on WebGPU and on
// wasm-blas (the CPU backend every run uses without a GPU) for a fixed number of steps on the same
// batches (batch 64, vocab 2000/3000, 10+10 tokens: bench/lib/lstm-step.ts), and prints the adapter,
// target tokens/s per row and the webgpu/wasm-blas ratio per preset. Each row runs in its own process
// (a tfjs backend is process-global). Options: --steps=N (default 200 on a hardware adapter, 1 on a
// software one, where a row is only a smoke test) --presets=a,b --backends=webgpu,wasm-blas.
import { spawnSync } from 'node:child_process';
import { adapterLabel, type GpuAdapterInfo } from '../src-main/core/tf/webgpu.ts';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { B, makeTrainStep, T } from './lib/lstm-step.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Row {
  preset: string;
  backend: string;
  steps: number;
  tokens_per_s: number;
  ms_per_step: number;
  first_step_s: number;
  adapter: GpuAdapterInfo | null;
  note?: string;
}

async function measure(backend: BackendPreference, preset: string, steps: number | undefined): Promise<Row> {
  const info = await initBackend(backend);
  const n = steps ?? (info.adapter?.software ? 1 : 200);
  const { step, tokens } = makeTrainStep(preset);
  // The first step compiles every shader (webgpu) or warms the allocator (wasm): timed apart.
  let t0 = performance.now();
  await step();
  const first = (performance.now() - t0) / 1000;
  for (let i = 0; i < 2; i++) await step();
  t0 = performance.now();
  for (let i = 0; i < n; i++) await step();
  const s = (performance.now() - t0) / 1000;
  return {
    preset,
    backend: info.name,
    steps: n,
    tokens_per_s: (n * tokens) / s,
    ms_per_step: (1000 * s) / n,
    first_step_s: first,
    adapter: info.adapter ?? null,
  };
}

if (process.argv.includes('--child')) {
  const steps = arg('steps');
  const row = await measure(
    arg('backend') as BackendPreference,
    arg('preset') as string,
    steps ? Number(steps) : undefined,
  );
  process.stdout.write(JSON.stringify(row) + '\n');
  process.exit(0);
} else {
  const presets = (arg('presets') ?? 'tatoeba-lstm,tatoeba-attention,tatoeba-transformer').split(',');
  const backends = (arg('backends') ?? 'webgpu,wasm-blas').split(',');
  const rows: Row[] = [];
  for (const preset of presets) {
    for (const backend of backends) {
      const args = [
        '--import',
        'tsx',
        new URL(import.meta.url).pathname,
        '--child',
        `--backend=${backend}`,
        `--preset=${preset}`,
      ];
      if (arg('steps')) args.push(`--steps=${arg('steps')}`);
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const line = r.stdout.trim().split('\n').at(-1) ?? '';
      if (r.status === 0 && line.startsWith('{')) rows.push(JSON.parse(line) as Row);
      else {
        const why =
          r.stderr
            .trim()
            .split('\n')
            .find((l) => /Error|error/.test(l)) ?? `exit ${r.status}`;
        rows.push({
          preset,
          backend,
          steps: 0,
          tokens_per_s: NaN,
          ms_per_step: NaN,
          first_step_s: NaN,
          adapter: null,
          note: why.slice(0, 120),
        });
      }
    }
  }
  const adapter = rows.find((r) => r.adapter)?.adapter;
  console.log(`adapter: ${adapter ? adapterLabel(adapter) : 'none (webgpu did not load)'}`);
  if (adapter?.software)
    console.log(
      'the adapter is SOFTWARE (a CPU implementation of the GPU ' +
        'API): rows check the path, they say nothing of GPU speed',
    );
  console.log(
    `training steps of each preset's model, batch ${B}, ${T} target tokens a sentence, same batches on every backend`,
  );
  console.log('preset                backend      steps     tok/s   ms/step  first step s   webgpu / wasm-blas');
  const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  for (const r of rows) {
    const cpu = rows.find((x) => x.preset === r.preset && x.backend === 'wasm-blas');
    const ratio =
      r.backend === 'webgpu' && cpu && Number.isFinite(r.tokens_per_s)
        ? `${(r.tokens_per_s / cpu.tokens_per_s).toFixed(2)}x`
        : '';
    console.log(
      `${r.preset.padEnd(21)} ${r.backend.padEnd(10)} ` +
        `${String(r.steps).padStart(7)} ${f(r.tokens_per_s, 0).padStart(9)} ` +
        `${f(r.ms_per_step, 1).padStart(9)} ${f(r.first_step_s, 1).padStart(13)} ` +
        `  ${ratio}${r.note ? `(${r.note})` : ''}`,
    );
  }
}
