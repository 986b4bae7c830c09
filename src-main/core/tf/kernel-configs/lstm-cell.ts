import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LSTM_CELL } from '../fused-lstm.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/**
 * One LSTM cell step (fused-lstm.ts) on wasm-blas: gates [B, 4H] (i|f|g|o), c [B, H] → h [B, H], c2 [B, H]
 * and the activated gates [B, 4H] the gradient needs. Registered only with its gradient's kernel.
 */
export const lstmCellConfig: KernelSpec = {
  kernelName: LSTM_CELL,
  backendName: 'wasm',
  needs: ['lstmCell', 'lstmCellGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon & Required<Pick<BlasAddon, 'lstmCell'>>;
    return ({ inputs, backend }) => {
      const { gates, c } = inputs as { gates: tf.TensorInfo; c: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const outs = [
        wasm.makeOutput(c.shape, 'float32'),
        wasm.makeOutput(c.shape, 'float32'),
        wasm.makeOutput(gates.shape, 'float32'),
      ];
      const heap = (t: tf.TensorInfo) => f32(wasm, t); // views after allocating
      addon.lstmCell(heap(gates), heap(c), heap(outs[0]), heap(outs[1]), heap(outs[2]), c.shape[1]);
      return outs;
    };
  },
};
