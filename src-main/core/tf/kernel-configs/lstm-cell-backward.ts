import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LSTM_CELL_GRAD } from '../fused-lstm.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** Both gradients of an LSTM cell step, dgates [B, 4H] and dc [B, H], in one pass (wasm-blas). */
export const lstmCellBackwardConfig: KernelSpec = {
  kernelName: LSTM_CELL_GRAD,
  backendName: 'wasm',
  needs: ['lstmCell', 'lstmCellGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon & Required<Pick<BlasAddon, 'lstmCellGrad'>>;
    return ({ inputs, backend }) => {
      const { dh, dc2, c, c2, acts } = inputs as Record<'dh' | 'dc2' | 'c' | 'c2' | 'acts', tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const outs = [wasm.makeOutput(acts.shape, 'float32'), wasm.makeOutput(c.shape, 'float32')];
      const heap = (t: tf.TensorInfo) => f32(wasm, t);
      addon.lstmCellGrad(heap(dh), heap(dc2), heap(c), heap(c2), heap(acts), heap(outs[0]), heap(outs[1]), c.shape[1]);
      return outs;
    };
  },
};
