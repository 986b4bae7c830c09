import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LOG_SOFTMAX } from '../fused-log-softmax.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** Row-wise log-softmax (fused-log-softmax.ts) on wasm-blas: logits [rows, V] → [rows, V]. */
export const logSoftmaxConfig: KernelSpec = {
  kernelName: LOG_SOFTMAX,
  backendName: 'wasm',
  needs: ['logSoftmax', 'logSoftmaxGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const logSoftmax = addon.logSoftmax as NonNullable<BlasAddon['logSoftmax']>;
    return ({ inputs, backend }) => {
      const { logits } = inputs as { logits: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(logits.shape, 'float32');
      logSoftmax.call(addon, f32(wasm, logits), f32(wasm, out), logits.shape[1]); // views after allocating
      return out;
    };
  },
};
