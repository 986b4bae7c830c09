// Where a training step's time goes: wall time per tfjs kernel for one step of a preset's model
// (default tatoeba-lstm at batch 64, vocab 2000/3000, 10+10 tokens), kernels sorted by time, and
// what is left for the engine and JS. wasm kernels run synchronously, so a kernel's wall time is its
// cost. Options: --backend=wasm-blas|wasm|cpu --preset=NAME --steps=N --top=N
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { makeTrainStep } from './lib/lstm-step.ts';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
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

const { step, tokens } = makeTrainStep(preset);

for (let i = 0; i < 3; i++) await step();
times.clear();
const steps = Number(arg('steps', '10'));
const t0 = performance.now();
for (let i = 0; i < steps; i++) await step();
const total = (performance.now() - t0) / steps;
const rows = [...times].map(([name, t]) => ({ name, ms: t.ms / steps, calls: t.calls / steps })).sort((a, b) => b.ms - a.ms);
const inKernels = rows.reduce((s, r) => s + r.ms, 0);
console.log(`${info.name}, ${preset}: ${total.toFixed(1)} ms/step (${((tokens * 1000) / total).toFixed(0)} target tok/s); kernels ${inKernels.toFixed(1)} ms, engine and JS ${(total - inKernels).toFixed(1)} ms`);
console.log('kernel                     ms/step  calls/step   µs/call   share');
for (const r of rows.slice(0, Number(arg('top', '20')))) {
  console.log(`${r.name.padEnd(24)} ${r.ms.toFixed(2).padStart(9)} ${r.calls.toFixed(0).padStart(11)} ${((1000 * r.ms) / r.calls).toFixed(1).padStart(9)} ${((100 * r.ms) / total).toFixed(1).padStart(6)}%`);
}
