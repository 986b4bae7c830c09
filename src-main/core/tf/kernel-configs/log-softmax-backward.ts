import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LOG_SOFTMAX_GRAD } from '../fused-log-softmax.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** The log-softmax's gradient from dy and its output y, both [rows, V] (wasm-blas). */
export const logSoftmaxBackwardConfig: KernelSpec = {
  kernelName: LOG_SOFTMAX_GRAD,
  backendName: 'wasm',
  needs: ['logSoftmax', 'logSoftmaxGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const logSoftmaxGrad = addon.logSoftmaxGrad as NonNullable<BlasAddon['logSoftmaxGrad']>;
    return ({ inputs, backend }) => {
      const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(y.shape, 'float32');
      logSoftmaxGrad.call(addon, f32(wasm, dy), f32(wasm, y), f32(wasm, out), y.shape[1]);
      return out;
    };
  },
};
