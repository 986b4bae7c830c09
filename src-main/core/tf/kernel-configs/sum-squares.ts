import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

const SUM_SQUARES = 'WorkbenchSumSquares';

/** Σ x² as a scalar, one pass, where the backend has the kernel (wasm-blas), else square-then-sum. */
export function sumSquares(x: tf.Tensor): tf.Scalar {
  if (x.dtype !== 'float32' || !tf.getKernel(SUM_SQUARES, tf.getBackend())) return tf.tidy(() => tf.sum(tf.square(x)));
  return tf.engine().runKernel(SUM_SQUARES, { x }, {}) as tf.Scalar;
}

/** No gradient: clipping reads the norm as a number. */
export const sumSquaresConfig: KernelSpec = {
  kernelName: SUM_SQUARES,
  backendName: 'wasm',
  needs: ['sumSquares'],
  kernelFunc:
    ({ blas }) =>
    ({ inputs, backend }) => {
      const addon = blas as BlasAddon;
      const { x } = inputs as { x: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput([], 'float32');
      const fn = addon.sumSquares as NonNullable<BlasAddon['sumSquares']>;
      fn.call(addon, wasm.typedArrayFromHeap(x) as Float32Array, wasm.typedArrayFromHeap(out) as Float32Array);
      return out;
    },
};
