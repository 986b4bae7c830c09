import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './native-blas.ts';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * The LSTM cell's elementwise part as one kernel forward and one backward (native/blas.c), where
 * the addon is loaded (wasm-blas). Op by op, a cell step is ~12 kernels forward and ~25 backward,
 * each a pass over [batch, hidden] plus the engine's bookkeeping: with hidden 256 that bookkeeping,
 * not the arithmetic, is the cost. Other backends keep the composed ops (model/rnn-cells.ts).
 */
const LSTM_CELL = 'WorkbenchLstmCell';
const LSTM_CELL_GRAD = 'WorkbenchLstmCellGrad';

type LstmAddon = Required<Pick<BlasAddon, 'lstmCell' | 'lstmCellGrad'>>;

/** The fused step where the current backend has it, else null: gates [B, 4H] (i|f|g|o), c [B, H]. */
export function fusedLstmStep(gates: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } | null {
  if (!tf.getKernel(LSTM_CELL, tf.getBackend()) || gates.dtype !== 'float32') return null;
  const [h, c2] = tf.engine().runKernel(LSTM_CELL, { gates, c }, {}) as tf.Tensor2D[];
  return { h, c: c2 };
}

export function registerFusedLstm(blas: BlasAddon): void {
  if (!blas.lstmCell || !blas.lstmCellGrad || tf.getKernel(LSTM_CELL, 'wasm')) return;
  const addon = blas as BlasAddon & LstmAddon;
  // Outputs: h [B, H], c2 [B, H], and the activated gates [B, 4H] the gradient needs.
  tf.registerKernel({
    kernelName: LSTM_CELL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { gates, c } = inputs as { gates: tf.TensorInfo; c: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const outs = [wasm.makeOutput(c.shape, 'float32'), wasm.makeOutput(c.shape, 'float32'), wasm.makeOutput(gates.shape, 'float32')];
      const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array; // views after allocating
      addon.lstmCell(heap(gates), heap(c), heap(outs[0]), heap(outs[1]), heap(outs[2]), c.shape[1]);
      return outs;
    },
  });
  // One gradient per call (attr `wrt`): the engine asks for each input's gradient in its own scope.
  tf.registerKernel({
    kernelName: LSTM_CELL_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dh, dc2, c, c2, acts } = inputs as Record<'dh' | 'dc2' | 'c' | 'c2' | 'acts', tf.TensorInfo>;
      const wrt = (attrs as { wrt: 'gates' | 'c' }).wrt;
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(wrt === 'gates' ? acts.shape : c.shape, 'float32');
      const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
      addon.lstmCellGrad(heap(dh), heap(dc2), heap(c), heap(c2), heap(acts), heap(out), wrt === 'gates' ? 0 : 1, c.shape[1]);
      return out;
    },
  });
  tf.registerGradient({
    kernelName: LSTM_CELL,
    inputsToSave: ['c'],
    outputsToSave: [false, true, true],
    gradFunc: (dy, saved) => {
      const [c, c2, acts] = saved;
      // An output outside the backprop graph (the last step's c) arrives as null: zero gradient.
      const [dh, dc2] = (dy as Array<tf.Tensor | null>).slice(0, 2).map((d) => d ?? tf.zerosLike(c));
      const grad = (wrt: 'gates' | 'c') => () => tf.engine().runKernel(LSTM_CELL_GRAD, { dh, dc2, c, c2, acts }, { wrt }) as tf.Tensor;
      return { gates: grad('gates'), c: grad('c') };
    },
  });
}
