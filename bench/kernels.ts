// Kernel and end-to-end throughput per TensorFlow.js backend, in one run, as ratios:
//  1. matmul GFLOP/s for the LSTM's products, plain and with each transpose (every gradient is one);
//  2. a minimal LSTM encoder-decoder train step (batch 64, emb 128, hidden 256, vocab 2000/3000, 10+10
//     tokens; tfjs-core ops only: gather, matMul, sigmoid/tanh, log-softmax cross entropy, Adam) in tok/s;
//  3. the real model (src-main/core/model, preset tatoeba-lstm) in tok/s.
// Variants: wasm "as shipped" (no kernel fixes: the train step fails, the reason is printed),
// wasm + only the segment-sum fix (the "before" of the matmul fix), wasm (all fixes), wasm-blas with 1 and
// 2 OpenBLAS threads, cpu. Each variant runs in its own process (a tfjs backend is process-global).
// The reference: bench/pytorch_lstm.py (the real model's architecture in PyTorch, 1 thread), same run.
// Options: --steps=N --variants=a,b --no-real --no-pytorch
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { wasmSegmentSumConfig } from '../src-main/core/tf/kernel-configs/wasm-segment-sum.ts';
import { BACKEND_KERNELS } from '../src-main/core/tf/kernel-configs/index.ts';
import { installKernels } from '../src-main/core/tf/kernel-registry.ts';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const steps = Number(arg('steps', '5'));
const [SV, TV, B, S, T, E, H] = [2000, 3000, 64, 10, 10, 128, 256];
const VARIANTS = [
  'wasm-as-shipped',
  'wasm-segsum-only',
  'wasm',
  'wasm-blas-matmul-only',
  'wasm-blas-1t',
  'wasm-blas-2t',
  'cpu',
];

/** [m, k, n, label]: the recurrent product, the input projection over all steps, the output layer. */
const SHAPES: Array<[number, number, number, string]> = [
  [B, H, 4 * H, 'h·U  [64,256]x[256,1024]'],
  [B * T, E, 4 * H, 'x·W  [640,128]x[128,1024]'],
  [B * T, H, TV, 'out  [640,256]x[256,3000]'],
];

interface Row {
  variant: string;
  backend: string;
  gflops: Record<string, number>;
  minimal: number | string;
  real: number | string;
}

function timeIt(fn: () => void, minMs: number): number {
  fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || n < 2) {
    fn();
    n++;
  }
  return (performance.now() - t0) / n;
}

function matmulGflops(slow: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [m, k, n, label] of SHAPES) {
    for (const [ta, tb, tag] of [
      [false, false, 'NN'],
      [true, false, 'TN'],
      [false, true, 'NT'],
    ] as const) {
      const a = tf.randomNormal(ta ? [k, m] : [m, k]) as tf.Tensor2D;
      const b = tf.randomNormal(tb ? [n, k] : [k, n]) as tf.Tensor2D;
      const ms = timeIt(() => tf.tidy(() => tf.matMul(a, b, ta, tb)).dataSync(), slow ? 200 : 400);
      out[`${label} ${tag}`] = (2 * m * n * k) / ms / 1e6;
      tf.dispose([a, b]);
    }
  }
  return out;
}

/** The minimal LSTM seq2seq: embeddings → LSTM encoder → final (h, c) → LSTM decoder → linear → CE. */
function minimalTrainStep(): () => number {
  const v = (shape: number[], scale = 0.08) => tf.variable(tf.randomUniform(shape, -scale, scale));
  const p = {
    srcEmb: v([SV, E]),
    trgEmb: v([TV, E]),
    encW: v([E, 4 * H]),
    encU: v([H, 4 * H]),
    encB: v([4 * H], 0),
    decW: v([E, 4 * H]),
    decU: v([H, 4 * H]),
    decB: v([4 * H], 0),
    outW: v([H, TV]),
    outB: v([TV], 0),
  };
  const ids = (n: number, vocab: number, salt: number) =>
    Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + salt) % (vocab - 4)));
  const src = tf.tensor2d(ids(B * S, SV, 13), [B, S], 'int32');
  const trgIn = tf.tensor2d(ids(B * T, TV, 17), [B, T], 'int32');
  // Gold targets as flat indices into the time-major log-probabilities [T*B*TV]
  const gold = tf.tensor1d(
    ids(B * T, TV, 19).map((id, r) => r * TV + id),
    'int32',
  );
  const optimizer = tf.train.adam(1e-3);
  // One LSTM layer over time-major inputs: x [len, B, E] → all h [len*B, H] and the final (h, c).
  const lstm = (
    x: tf.Tensor3D,
    W: tf.Variable,
    U: tf.Variable,
    bias: tf.Variable,
    h0: tf.Tensor2D,
    c0: tf.Tensor2D,
  ) => {
    const len = x.shape[0];
    const xProj = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [len * B, E]) as tf.Tensor2D, W), bias), [
      len,
      B,
      4 * H,
    ]) as tf.Tensor3D; // [len, B, 4H]
    let [h, c] = [h0, c0];
    const hs: tf.Tensor2D[] = [];
    for (const xt of tf.unstack(xProj) as tf.Tensor2D[]) {
      const [i, f, g, o] = tf.split(tf.add(xt, tf.matMul(h, U)), 4, 1); // 4 × [B, H]
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      hs.push(h);
    }
    return { hs: tf.concat(hs, 0) as tf.Tensor2D, h, c };
  };
  return () => {
    const cost = optimizer.minimize(() => {
      const zeros = tf.zeros([B, H]) as tf.Tensor2D;
      const enc = lstm(
        tf.transpose(tf.gather(p.srcEmb, src), [1, 0, 2]) as tf.Tensor3D,
        p.encW,
        p.encU,
        p.encB,
        zeros,
        zeros,
      );
      const dec = lstm(
        tf.transpose(tf.gather(p.trgEmb, trgIn), [1, 0, 2]) as tf.Tensor3D,
        p.decW,
        p.decU,
        p.decB,
        enc.h,
        enc.c,
      );
      const logits = tf.add(tf.matMul(dec.hs, p.outW), p.outB); // [T*B, TV]
      const logp = tf.logSoftmax(logits);
      return tf.neg(tf.mean(tf.gather(tf.reshape(logp, [-1]), gold))) as tf.Scalar;
    }, true);
    const loss = cost?.dataSync()[0] ?? NaN;
    cost?.dispose();
    return loss;
  };
}

async function realTrainStep(): Promise<() => number> {
  const { buildRunConfig } = await import('../src-main/common/config.ts');
  const { buildModel } = await import('../src-main/core/model/build.ts');
  const { sequenceCrossEntropy } = await import('../src-main/core/train/loss.ts');
  const config = buildRunConfig({ preset: 'tatoeba-lstm', overrides: { dataset: 'bench', dropout: 0 } });
  const model = buildModel(config, SV, TV, 1);
  const ids = (n: number, vocab: number, salt: number) =>
    Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + salt) % (vocab - 4)));
  const src = tf.tensor2d(ids(B * S, SV, 13), [B, S], 'int32');
  const trgIn = tf.tensor2d(ids(B * T, TV, 17), [B, T], 'int32');
  const trgOut = tf.tensor2d(ids(B * T, TV, 19), [B, T], 'int32');
  const optimizer = tf.train.adam(1e-3);
  return () => {
    const cost = optimizer.minimize(
      () => tf.div(sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut).sum, B * T) as tf.Scalar,
      true,
      [...model.variables.values()],
    );
    const loss = cost?.dataSync()[0] ?? NaN;
    cost?.dispose();
    return loss;
  };
}

function tokPerS(step: () => number, n: number): number {
  step(); // warm-up: kernels compiled, buffers allocated
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step();
  return (n * B * T) / ((performance.now() - t0) / 1000);
}

async function child(variant: string): Promise<Row> {
  let backend: string;
  if (variant.startsWith('wasm-as') || variant === 'wasm-segsum-only') {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    if (variant === 'wasm-segsum-only') installKernels('wasm', [wasmSegmentSumConfig], null);
    backend = 'wasm';
  } else if (variant === 'wasm-blas-matmul-only') {
    // wasm-blas before Exp and Sum went to the addon too
    const { addon, reason } = loadBlas();
    if (!addon) throw new Error(reason);
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    installKernels('wasm', BACKEND_KERNELS.wasm.kernels, addon); // wasm's list: only BatchMatMul takes the addon
    backend = 'wasm-blas';
  } else {
    if (variant.startsWith('wasm-blas')) process.env.OPENBLAS_NUM_THREADS = variant.endsWith('2t') ? '2' : '1';
    backend = (await initBackend(variant.startsWith('wasm-blas') ? 'wasm-blas' : (variant as 'wasm' | 'cpu'))).name;
  }
  const slow = variant === 'cpu';
  const n = slow ? 1 : steps;
  const attempt = async (make: () => Promise<() => number> | (() => number)) => {
    try {
      return tokPerS(await make(), n);
    } catch (err) {
      return `fails: ${(err as Error).message.split('\n')[0].slice(0, 70)}`;
    }
  };
  const gflops = matmulGflops(slow);
  const minimal = await attempt(minimalTrainStep);
  // The real model on cpu takes minutes per step (bench/train.ts measures it): skipped there.
  const real = process.argv.includes('--no-real') || slow ? 'skipped' : await attempt(realTrainStep);
  return { variant, backend, gflops, minimal, real };
}

if (process.argv.includes('--child')) {
  process.stdout.write(JSON.stringify(await child(arg('variant', 'wasm'))) + '\n');
} else {
  const rows: Row[] = [];
  for (const variant of arg('variants', VARIANTS.join(',')).split(',')) {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL(import.meta.url).pathname,
        '--child',
        `--variant=${variant}`,
        ...process.argv.slice(2),
      ],
      { encoding: 'utf8' },
    );
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status === 0 && line.startsWith('{')) rows.push(JSON.parse(line) as Row);
    else
      console.log(
        `${variant}: unavailable (${(
          r.stderr
            .trim()
            .split('\n')
            .find((l) => /Error/.test(l)) ?? `exit ${r.status}`
        ).slice(0, 100)})`,
      );
  }
  let pytorch: number | string = 'skipped';
  if (!process.argv.includes('--no-pytorch')) {
    // OpenBLAS pinned to one thread too: unpinned it multiplies on every core whatever torch is told.
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
    const r = spawnSync(
      '/usr/bin/python3',
      [new URL('./pytorch_lstm.py', import.meta.url).pathname, '1', String(steps)],
      { encoding: 'utf8', env },
    );
    const line = r.stdout?.trim().split('\n').at(-1) ?? '';
    pytorch =
      r.status === 0 && line.startsWith('{')
        ? (JSON.parse(line) as { tokens_per_s: number }).tokens_per_s
        : 'unavailable (apt-get install python3-torch libopenblas0-pthread)';
  }
  const base = rows.find((r) => r.variant === 'wasm-as-shipped') ?? rows[0];
  const fmt = (v: number | string, d = 0) => (typeof v === 'number' ? v.toFixed(d) : v);
  console.log(`\nmatmul GFLOP/s (NN plain, TN/NT transposed operand; ratio vs ${base?.variant})`);
  for (const key of Object.keys(base?.gflops ?? {})) {
    const cell = (r: Row) =>
      `${r.variant} ${fmt(r.gflops[key], 1)} (${(r.gflops[key] / base.gflops[key]).toFixed(1)}x)`;
    console.log(`  ${key.padEnd(32)} ${rows.map(cell).join('  ')}`);
  }
  const refRow = rows.find((r) => typeof r.minimal === 'number');
  console.log(
    `\nLSTM seq2seq train step, batch ${B}, emb ${E}, hidden ${H}, vocab ` +
      `${SV}/${TV}, ${S}+${T} tokens (target tok/s; ratio vs ${refRow?.variant})`,
  );
  console.log(
    `  ${'variant'.padEnd(22)} ${'minimal'.padStart(9)} ${'ratio'.padStart(7)} ` +
      `${'real model'.padStart(11)} ${'ratio'.padStart(7)}`,
  );
  for (const r of rows) {
    const ratio = (v: number | string, ref: number | string | undefined) =>
      typeof v === 'number' && typeof ref === 'number' ? `${(v / ref).toFixed(2)}x` : '';
    const vsTorch =
      typeof r.real === 'number' && typeof pytorch === 'number'
        ? `  real/PyTorch ${(r.real / pytorch).toFixed(2)}x`
        : '';
    console.log(
      `  ${r.variant.padEnd(22)} ${fmt(r.minimal).padStart(9)} ${ratio(r.minimal, refRow?.minimal).padStart(7)} ` +
        `${fmt(r.real).padStart(11)} ${ratio(r.real, refRow?.real).padStart(7)}${vsTorch}`,
    );
  }
  console.log(`  ${'pytorch (1 thread)'.padEnd(22)} ${''.padStart(9)} ${''.padStart(7)} ${fmt(pytorch).padStart(11)}`);
}
