// Where a training step's time goes: time per tfjs kernel for steps of a preset's model (default
// tatoeba-lstm at batch 64, vocab 2000/3000, 10+10 tokens; --preset=real-data: the real-data Transformer,
// see lib/lstm-step.ts), kernels sorted by CPU time, what is left for the engine and JS, the matrix
// products' FLOPs and rate, and peak RSS. wasm kernels run synchronously, so a kernel's time is its cost.
// Options: --backend=wasm-blas|wasm|cpu --preset=NAME --steps=N --top=N, and --unfused=KERNEL,KERNEL: those
// project kernels unregistered, so the model takes its op-by-op path (a before/after on the same machine).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendPreference } from '../src-main/core/tf/backend.ts';
import { makeTrainStep } from './lib/lstm-step.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const info = await initBackend(arg('backend', 'wasm-blas') as BackendPreference);
const preset = arg('preset', 'tatoeba-lstm');

// Wrap every kernel registered for the backend in a timer; matrix products also count their FLOPs.
// CPU time too: on a shared machine wall time also counts the turns of other processes.
const times = new Map<string, { ms: number; cpuMs: number; calls: number }>();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let matmulFlops = 0;
let matmulMs = 0;
let matmulCpuMs = 0;
const productFlops = (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): number => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const ta = Boolean(attrs?.transposeA);
  const tb = Boolean(attrs?.transposeB);
  const batch = Math.max(
    a.shape.slice(0, -2).reduce((p, d) => p * d, 1),
    b.shape.slice(0, -2).reduce((p, d) => p * d, 1),
  );
  const [m, k] = ta ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = tb ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  return 2 * batch * m * n * k;
};
const tfName = tf.getBackend();
for (const k of tf.getKernelsForBackend(tfName)) {
  const original = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, tfName);
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const t0 = performance.now();
      const c0 = cpuMs();
      const out = original(args);
      const entry = times.get(k.kernelName) ?? { ms: 0, cpuMs: 0, calls: 0 };
      const ms = performance.now() - t0;
      entry.cpuMs += cpuMs() - c0;
      entry.ms += ms;
      entry.calls++;
      if (k.kernelName === 'BatchMatMul' || k.kernelName === '_FusedMatMul') {
        matmulFlops += productFlops(args.inputs, args.attrs);
        matmulMs += ms;
        matmulCpuMs += cpuMs() - c0;
      }
      times.set(k.kernelName, entry);
      return out;
    },
  });
}

// --unfused=A,B: unregister these project kernels, so the model takes its op-by-op path (before/after).
for (const name of arg('unfused', '').split(',').filter(Boolean)) tf.unregisterKernel(name, tfName);
const { step, tokens } = makeTrainStep(preset);

for (let i = 0; i < 3; i++) await step();
times.clear();
matmulFlops = 0;
matmulMs = 0;
matmulCpuMs = 0;
const steps = Number(arg('steps', '10'));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < steps; i++) await step();
const total = (performance.now() - t0) / steps;
// CPU time is what a step costs when the machine is shared (wall time counts others' turns too).
const cpu = process.cpuUsage(cpu0);
const peakRss = process.resourceUsage().maxRSS / 1024; // KiB → MiB
const rows = [...times]
  .map(([name, t]) => ({ name, ms: t.ms / steps, cpuMs: t.cpuMs / steps, calls: t.calls / steps }))
  .sort((a, b) => b.cpuMs - a.cpuMs);
const inKernels = rows.reduce((s, r) => s + r.ms, 0);
const cpuTotal = (cpu.user + cpu.system) / 1000 / steps;
const cpuInKernels = rows.reduce((s, r) => s + r.cpuMs, 0);
const tokS = (ms: number) => ((tokens * 1000) / ms).toFixed(0);
console.log(`${info.name}, ${preset}, ${tokens} target tokens a step`);
console.log(
  `wall ${total.toFixed(1)} ms/step (${tokS(total)} tok/s); kernels ` +
    `${inKernels.toFixed(1)} ms, engine and JS ${(total - inKernels).toFixed(1)} ms`,
);
console.log(
  `CPU  ${cpuTotal.toFixed(1)} ms/step (${tokS(cpuTotal)} tok/s at ` +
    `one core; system ${(cpu.system / 1000 / steps).toFixed(1)}); ` +
    `kernels ${cpuInKernels.toFixed(1)} ms, engine and JS ${(cpuTotal - cpuInKernels).toFixed(1)} ms`,
);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
// The wasm heap only grows: its size is the high-water mark of what the step held at once.
const heap = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.byteLength;
const heapNote = heap ? `wasm heap ${mib(heap)} MiB, ` : '';
console.log(`peak RSS ${peakRss.toFixed(0)} MiB; ${heapNote}tensors ${mib(tf.memory().numBytes)} MiB between steps`);
const rate = (ms: number) => ((matmulFlops / ms) * 1e-6).toFixed(1);
console.log(
  `matrix products: ${(matmulFlops / steps / 1e9).toFixed(1)} GFLOP/step ` +
    `at ${rate(matmulMs)} GFLOP/s wall, ${rate(matmulCpuMs)} CPU`,
);
console.log('kernel                  CPU ms/step  wall ms/step  calls/step   CPU µs/call   CPU share');
for (const r of rows.slice(0, Number(arg('top', '20')))) {
  const cols = [r.cpuMs.toFixed(2).padStart(12), r.ms.toFixed(2).padStart(13), r.calls.toFixed(0).padStart(11)];
  const perCall = ((1000 * r.cpuMs) / r.calls).toFixed(1).padStart(13);
  console.log(
    `${r.name.padEnd(24)}${cols.join('')} ${perCall} ${((100 * r.cpuMs) / cpuTotal).toFixed(1).padStart(10)}%`,
  );
}
