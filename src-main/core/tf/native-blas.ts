import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { installBatchMatMul, MIN_BLAS_WORK } from './batch-matmul.ts';
import type { BlasAddon } from './blas-addon.ts';
import { replaceKernel, type WasmBackend } from './wasm-kernel.ts';

/**
 * The project's own fast fallback when libtensorflow is absent: the wasm
 * backend with its matrix products done by the system's OpenBLAS through
 * native/blas.c. The addon multiplies the operands where they already are, on
 * the wasm heap (no copies), with the transposes as BLAS flags, so every
 * matmul gradient stays on the fast path too. Everything else stays wasm.
 */
/**
 * The native/ interface these bindings are written against (native/addon.h ADDON_INTERFACE_VERSION;
 * every export's arguments are listed in native/README.md). An addon built from older sources (a
 * checkout updated without `npm ci` / `npm rebuild`) is refused with that reason instead of failing
 * later on a missing or changed export.
 */
export const ADDON_INTERFACE_VERSION = 2;

/** Below this many multiply-adds the call overhead outweighs BLAS: wasm keeps small reductions. */
const MIN_WORK = MIN_BLAS_WORK;

let addon: BlasAddon | null | undefined;
let why = '';

function addonPath(): string | null {
  const candidates = [
    process.env.WORKBENCH_NATIVE,
    fileURLToPath(new URL('../../../native/build/Release/blas.node', import.meta.url)),
    `${process.cwd()}/native/build/Release/blas.node`,
  ];
  return candidates.find((p): p is string => Boolean(p && existsSync(p))) ?? null;
}

/** Loads the addon once; null (with a reason) where it is not built or finds no BLAS. */
export function loadBlas(): { addon: BlasAddon | null; reason: string } {
  if (addon !== undefined) return { addon, reason: why };
  const path = addonPath();
  if (!path) {
    why = 'native/ addon not built (npm ci builds it when a C compiler is present)';
    return { addon: (addon = null), reason: why };
  }
  try {
    const a = createRequire(import.meta.url)(path) as BlasAddon;
    const version = a.interfaceVersion?.() ?? 1;
    if (version !== ADDON_INTERFACE_VERSION) {
      throw new Error(
        `native/ addon built for interface ${version}, this checkout needs ${ADDON_INTERFACE_VERSION}: rebuild it (npm rebuild or npm ci)`,
      );
    }
    if (!a.available()) throw new Error(a.status());
    a.setThreads(Number(process.env.OPENBLAS_NUM_THREADS ?? 1));
    why = a.status();
    return { addon: (addon = a), reason: why };
  } catch (err) {
    why = (err as Error).message.split('\n')[0];
    return { addon: (addon = null), reason: why };
  }
}

/** What each register* below has done already: each is idempotent. */
const registered = new Set<string>();

/** Routes wasm's BatchMatMul to OpenBLAS (batch-matmul.ts). Call after the wasm backend is ready. */
export function registerBlasMatMul(blas: BlasAddon): void {
  installBatchMatMul(blas);
}

/**
 * Routes wasm's Exp and Tanh to the addon's vectorised expf/tanhf (idempotent). The log-softmax
 * over the output layer's [batch*len, vocab] logits takes two exps per train step, every LSTM step
 * two tanhs and their gradients; wasm's scalar versions made them the largest costs after matmuls.
 */
export function registerBlasUnary(blas: BlasAddon): void {
  for (const [kernelName, fn] of [
    ['Exp', blas.vexp],
    ['Tanh', blas.vtanh],
  ] as const) {
    if (!fn || registered.has(kernelName)) continue;
    registered.add(kernelName);
    const apply = fn.bind(blas);
    replaceKernel(kernelName, 'wasm', (fallback) => (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const size = x.shape.reduce((p, d) => p * d, 1);
      if (x.dtype !== 'float32' || size < 1024) return fallback(args);
      const backend = args.backend as unknown as WasmBackend;
      const out = backend.makeOutput(x.shape, 'float32');
      apply(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array);
      return out;
    });
  }
}

/**
 * Routes wasm's Sum over leading axes (every bias gradient: [rows, cols] summed over rows) to one
 * BLAS product ones[1, rows] · X[rows, cols] (wasm transposes the input before such a reduction),
 * and over trailing axes (the log-softmax's sum over the vocabulary) to X[rows, cols] · ones[cols, 1]
 * (wasm's is a scalar loop).
 */
export function registerBlasSum(blas: BlasAddon): void {
  if (registered.has('Sum')) return;
  registered.add('Sum');
  let ones = new Float32Array(0);
  replaceKernel('Sum', 'wasm', (fallback) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[] | null; keepDims: boolean };
    const rank = x.shape.length;
    const listed = axis == null ? x.shape.map((_, i) => i) : Array.isArray(axis) ? axis : [axis]; // none: every axis
    const axes = [...new Set(listed.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    // A sum over every axis stays wasm's: BLAS has no fast path for a 1x1 product.
    const trailing = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === rank - axes.length + i);
    const split = leading ? axes.length : rank - axes.length;
    const rows = x.shape.slice(0, split).reduce((p, d) => p * d, 1);
    const cols = x.shape.slice(split).reduce((p, d) => p * d, 1);
    if (!(leading || trailing) || x.dtype !== 'float32' || rows * cols < MIN_WORK) return fallback(args);
    const reduced = leading ? rows : cols;
    if (ones.length < reduced) ones = new Float32Array(reduced).fill(1);
    const backend = args.backend as unknown as WasmBackend;
    const outShape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    const X = backend.typedArrayFromHeap(x) as Float32Array;
    const Y = backend.typedArrayFromHeap(out) as Float32Array;
    if (leading) blas.sgemm(false, false, 1, cols, rows, ones, X, Y);
    else blas.sgemm(false, false, rows, 1, cols, X, ones, Y);
    return out;
  });
}

/** The kernel train/optimizers.ts runs where registered: inputs param, grad, m, v → [param, m, v] updated. */
export const FUSED_ADAM = 'WorkbenchFusedAdam';
export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  weightDecay: number;
  stepSize: number;
  sqrtBias2: number;
  eps: number;
}

/** Registers the addon's one-pass Adam update as a wasm kernel (idempotent). */
export function registerBlasAdam(blas: BlasAddon): void {
  const adam = blas.adam?.bind(blas);
  if (!adam || tf.getKernel(FUSED_ADAM, 'wasm')) return;
  tf.registerKernel({
    kernelName: FUSED_ADAM,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { param, grad, m, v } = args.inputs as Record<'param' | 'grad' | 'm' | 'v', tf.TensorInfo>;
      const a = args.attrs as unknown as FusedAdamAttrs;
      const backend = args.backend as unknown as WasmBackend;
      const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
      const outs = [param, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
      const hyper = Float32Array.of(a.beta1, a.beta2, a.weightDecay, a.stepSize, a.sqrtBias2, a.eps);
      adam(heap(param), heap(grad), heap(m), heap(v), heap(outs[0]), heap(outs[1]), heap(outs[2]), hyper);
      return outs;
    },
  });
}

const SUM_SQUARES = 'WorkbenchSumSquares';

/** Σ x² as a scalar, one pass, where the backend has the kernel (wasm-blas), else square-then-sum. */
export function sumSquares(x: tf.Tensor): tf.Scalar {
  if (x.dtype !== 'float32' || !tf.getKernel(SUM_SQUARES, tf.getBackend())) return tf.tidy(() => tf.sum(tf.square(x)));
  return tf.engine().runKernel(SUM_SQUARES, { x }, {}) as tf.Scalar;
}

export function registerBlasSumSquares(blas: BlasAddon): void {
  const fn = blas.sumSquares;
  if (!fn || tf.getKernel(SUM_SQUARES, 'wasm')) return;
  // No gradient: clipping reads the norm as a number.
  tf.registerKernel({
    kernelName: SUM_SQUARES,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput([], 'float32');
      fn.call(blas, wasm.typedArrayFromHeap(x) as Float32Array, wasm.typedArrayFromHeap(out) as Float32Array);
      return out;
    },
  });
}
