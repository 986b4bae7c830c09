// Where a training step's time goes: wall time per tfjs kernel for one step of a preset's model
// (default tatoeba-lstm at batch 64, vocab 2000/3000, 10+10 tokens), kernels sorted by time, and
// what is left for the engine and JS. wasm kernels run synchronously, so a kernel's wall time is its
// cost. Options: --backend=wasm-blas|wasm|cpu --preset=NAME --steps=N --top=N
import * as tf from '@tensorflow/tfjs-core';
import { buildRunConfig } from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { buildOptimizer } from '../src-main/core/train/builders.ts';
import { sequenceCrossEntropy } from '../src-main/core/train/loss.ts';
import { clipByGlobalNorm } from '../src-main/core/train/optimizers.ts';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const [SV, TV, B, S, T] = [2000, 3000, 64, 10, 10];
const info = await initBackend(arg('backend', 'wasm-blas') as BackendPreference);
const preset = arg('preset', 'tatoeba-lstm');

// Wrap every kernel registered for the backend in a timer.
const times = new Map<string, { ms: number; calls: number }>();
const tfName = tf.getBackend();
for (const k of tf.getKernelsForBackend(tfName)) {
  const original = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, tfName);
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const t0 = performance.now();
      const out = original(args);
      const entry = times.get(k.kernelName) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - t0;
      entry.calls++;
      times.set(k.kernelName, entry);
      return out;
    },
  });
}

const config = buildRunConfig({ preset, overrides: { dataset: 'bench', dropout: 0 } });
const model = buildModel(config, SV, TV, 1);
const optimizer = buildOptimizer(config);
const ids = (n: number, vocab: number) => Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + 13) % (vocab - 4)));
const src = tf.tensor2d(ids(B * S, SV), [B, S], 'int32');
const trgIn = tf.tensor2d(ids(B * T, TV), [B, T], 'int32');
const trgOut = tf.tensor2d(ids(B * T, TV).reverse(), [B, T], 'int32');
const keys = new Map([...model.variables].map(([k, v]) => [v.name, k]));
const step = () => {
  const loss = () => tf.div(sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut).sum, B * T) as tf.Scalar;
  const { value, grads } = tf.variableGrads(loss, [...model.variables.values()]);
  const named: tf.NamedTensorMap = {};
  for (const [n, g] of Object.entries(grads)) named[keys.get(n) ?? n] = g;
  const clipped = clipByGlobalNorm(named, 1);
  optimizer.apply(model.variables, clipped.grads, 1e-3);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads), ...Object.values(clipped.grads)]);
};

for (let i = 0; i < 3; i++) step();
times.clear();
const steps = Number(arg('steps', '10'));
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const total = (performance.now() - t0) / steps;
const rows = [...times].map(([name, t]) => ({ name, ms: t.ms / steps, calls: t.calls / steps })).sort((a, b) => b.ms - a.ms);
const inKernels = rows.reduce((s, r) => s + r.ms, 0);
console.log(`${info.name}, ${preset}: ${total.toFixed(1)} ms/step (${((B * T * 1000) / total).toFixed(0)} target tok/s); kernels ${inKernels.toFixed(1)} ms, engine and JS ${(total - inKernels).toFixed(1)} ms`);
console.log('kernel                     ms/step  calls/step   µs/call   share');
for (const r of rows.slice(0, Number(arg('top', '20')))) {
  console.log(`${r.name.padEnd(24)} ${r.ms.toFixed(2).padStart(9)} ${r.calls.toFixed(0).padStart(11)} ${((1000 * r.ms) / r.calls).toFixed(1).padStart(9)} ${((100 * r.ms) / total).toFixed(1).padStart(6)}%`);
}
