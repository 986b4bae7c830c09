import type * as tf from '@tensorflow/tfjs-core';
import { MIN_BLAS_WORK } from './batch-matmul.ts';
import type { BlasAddon } from '../blas-addon.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/**
 * wasm's Sum over leading axes (every bias gradient: [rows, cols] summed over rows) as one BLAS product
 * ones[1, rows] · X[rows, cols] (wasm transposes the input before such a reduction), and over trailing
 * axes (the log-softmax's sum over the vocabulary) as X[rows, cols] · ones[cols, 1] (wasm's is a scalar
 * loop). Other reductions, small ones (the call overhead outweighs BLAS) and other dtypes: wasm's own.
 */
export const blasSumConfig: KernelSpec = {
  kernelName: 'Sum',
  backendName: 'wasm',
  wraps: true,
  needs: ['sgemm'],
  kernelFunc: ({ original, blas }) => {
    const addon = blas as BlasAddon;
    const fallback = original as tf.KernelFunc;
    let ones = new Float32Array(0);
    return (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as { axis: number | number[] | null; keepDims: boolean };
      const rank = x.shape.length;
      // none: every axis
      const listed = axis == null ? x.shape.map((_, i) => i) : Array.isArray(axis) ? axis : [axis];
      const axes = [...new Set(listed.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
      // A sum over every axis stays wasm's: BLAS has no fast path for a 1x1 product.
      const trailing = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === rank - axes.length + i);
      const split = leading ? axes.length : rank - axes.length;
      const rows = x.shape.slice(0, split).reduce((p, d) => p * d, 1);
      const cols = x.shape.slice(split).reduce((p, d) => p * d, 1);
      if (!(leading || trailing) || x.dtype !== 'float32' || rows * cols < MIN_BLAS_WORK) return fallback(args);
      const reduced = leading ? rows : cols;
      if (ones.length < reduced) ones = new Float32Array(reduced).fill(1);
      const backend = args.backend as unknown as WasmBackend;
      const outShape = keepDims
        ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !axes.includes(i));
      const out = backend.makeOutput(outShape, 'float32');
      const X = backend.typedArrayFromHeap(x) as Float32Array;
      const Y = backend.typedArrayFromHeap(out) as Float32Array;
      if (leading) addon.sgemm(false, false, 1, cols, rows, ones, X, Y);
      else addon.sgemm(false, false, rows, 1, cols, X, ones, Y);
      return out;
    };
  },
};
