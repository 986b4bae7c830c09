import * as tf from '@tensorflow/tfjs-core';

/**
 * The LSTM in native kernels (native/blas.c), where the addon is loaded (wasm-blas); other backends
 * keep the composed ops (model/rnn-cells.ts). Two granularities:
 * - one cell step, forward and backward, for a decoder with attention (each step needs the last);
 * - a whole layer over a sequence (cuDNN-style), for the encoder and an attention-free decoder.
 * Op by op, a cell step is ~12 kernels forward and ~25 backward, each a pass over [batch, hidden]
 * plus the engine's bookkeeping: with hidden 256 that bookkeeping, not the arithmetic, is the cost.
 * Gradients are computed once per node in the registered gradient function (the engine then asks for
 * each input's gradient separately and gets the tensors already made). The kernels and gradients are
 * declared in kernel-configs/lstm-*.ts and grad-configs/lstm-*.ts, registered on wasm-blas only.
 */
export const LSTM_CELL = 'WorkbenchLstmCell';
export const LSTM_CELL_GRAD = 'WorkbenchLstmCellGrad';

/** The fused step where the current backend has it, else null: gates [B, 4H] (i|f|g|o), c [B, H]. */
export function fusedLstmStep(gates: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } | null {
  if (!tf.getKernel(LSTM_CELL, tf.getBackend()) || gates.dtype !== 'float32') return null;
  const [h, c2] = tf.engine().runKernel(LSTM_CELL, { gates, c }, {}) as tf.Tensor2D[];
  return { h, c: c2 };
}

export const LSTM_SEQUENCE = 'WorkbenchLstmSequence';
export const LSTM_SEQUENCE_GRAD = 'WorkbenchLstmSequenceGrad';

/**
 * A whole LSTM layer over a sequence as one kernel (native/blas.c: per step a BLAS h·U and the cell,
 * the padding mask inside) where the backend has it, else null. xproj [B, T, 4H] is the layer's input
 * projection of every step, U [H, 4H] its recurrent kernel, mask [B, T] 1/0. Returns the outputs
 * [B, T, H] (a padded step repeats the previous state, as maskState does) and the final state.
 */
export function fusedLstmSequence(
  xproj: tf.Tensor3D,
  U: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  mask: tf.Tensor2D,
  reverse: boolean,
): { outputs: tf.Tensor3D; h: tf.Tensor2D; c: tf.Tensor2D } | null {
  if (!tf.getKernel(LSTM_SEQUENCE, tf.getBackend()) || xproj.dtype !== 'float32') return null;
  const [outputs, h, c] = tf.engine().runKernel(LSTM_SEQUENCE, { xproj, U, h0, c0, mask }, { reverse }) as tf.Tensor[];
  return { outputs: outputs as tf.Tensor3D, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
}
