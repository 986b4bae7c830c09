import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/**
 * wasm's BatchMatMul, built on tfjs-backend-wasm's own kernel (XNNPACK) once per backend list:
 *  - on wasm-blas (the addon given): OpenBLAS on the wasm heap in place, transposes as BLAS flags;
 *  - otherwise, and for what BLAS does not take (tiny products, other dtypes, broadcast batch shapes):
 *    XNNPACK, with a transposed operand materialised first. XNNPACK leaves its fast path when an input is
 *    transposed (every matmul gradient is): ~2 instead of ~27 GFLOP/s, measured in ../shared/ENVIRONMENT.md.
 * One spec in both wasm lists, so no second registration replaces a first: the addon decides which.
 */

/** Below this many multiply-adds (the whole batch) the call overhead outweighs BLAS: XNNPACK keeps them. */
export const MIN_BLAS_WORK = 32 * 32 * 32;

export const batchMatMulConfig: KernelSpec = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  wraps: true,
  blasOptional: true,
  kernelFunc: ({ original, blas }) => {
    const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
    if (!transpose) throw new Error('wasm Transpose kernel not found');
    const plain = transposedFirst(original as tf.KernelFunc, transpose);
    return blas ? blasFirst(blas, plain) : plain;
  },
};

function transposedFirst(original: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const temps: tf.TensorInfo[] = [];
    const swapLast = (t: tf.TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      const out = transpose({ inputs: { x: t }, attrs: { perm }, backend: args.backend }) as tf.TensorInfo;
      temps.push(out);
      return out;
    };
    const result = original({
      ...args,
      inputs: { a: transposeA ? swapLast(a) : a, b: transposeB ? swapLast(b) : b },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    for (const t of temps) (args.backend as unknown as WasmBackend).disposeData(t.dataId);
    return result;
  };
}

function blasFirst(blas: BlasAddon, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const batch = Math.max(batchA, batchB);
    // Broadcast batch shapes other than "same" or "one side 1" go to the fallback. The work threshold
    // counts the whole batch: attention's [B, 1, S]·[B, S, H] products are tiny one by one, but XNNPACK
    // sets up each of them (~25 µs), where a BLAS call costs ~1 µs.
    const broadcast = batchA !== batchB && batchA !== 1 && batchB !== 1;
    if (batch * m * n * k < MIN_BLAS_WORK || a.dtype !== 'float32' || b.dtype !== 'float32' || broadcast)
      return fallback(args);
    const outBatchShape = (batchA >= batchB ? a : b).shape.slice(0, -2);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput([...outBatchShape, m, n], 'float32');
    // Views after allocating: makeOutput may grow (and move) the heap.
    const A = backend.typedArrayFromHeap(a) as Float32Array;
    const B = backend.typedArrayFromHeap(b) as Float32Array;
    const C = backend.typedArrayFromHeap(out) as Float32Array;
    for (let i = 0; i < batch; i++) {
      const ai = batchA === 1 ? 0 : i;
      const bi = batchB === 1 ? 0 : i;
      const [As, Bs, Cs] = [
        A.subarray(ai * m * k, (ai + 1) * m * k),
        B.subarray(bi * k * n, (bi + 1) * k * n),
        C.subarray(i * m * n, (i + 1) * m * n),
      ];
      blas.sgemm(transposeA, transposeB, m, n, k, As, Bs, Cs);
    }
    return out;
  };
}
