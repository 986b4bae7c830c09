import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * The LSTM in native kernels (native/blas.c), where the addon is loaded (wasm-blas); other backends
 * keep the composed ops (model/rnn-cells.ts). Two granularities:
 * - one cell step, forward and backward, for a decoder with attention (each step needs the last);
 * - a whole layer over a sequence (cuDNN-style), for the encoder and an attention-free decoder.
 * Op by op, a cell step is ~12 kernels forward and ~25 backward, each a pass over [batch, hidden]
 * plus the engine's bookkeeping: with hidden 256 that bookkeeping, not the arithmetic, is the cost.
 * Gradients are computed once per node in the registered gradient function (the engine then asks for
 * each input's gradient separately and gets the tensors already made).
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
      const outs = [
        wasm.makeOutput(c.shape, 'float32'),
        wasm.makeOutput(c.shape, 'float32'),
        wasm.makeOutput(gates.shape, 'float32'),
      ];
      const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array; // views after allocating
      addon.lstmCell(heap(gates), heap(c), heap(outs[0]), heap(outs[1]), heap(outs[2]), c.shape[1]);
      return outs;
    },
  });
  // Both gradients of a step, dgates [B, 4H] and dc [B, H], in one pass.
  tf.registerKernel({
    kernelName: LSTM_CELL_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { dh, dc2, c, c2, acts } = inputs as Record<'dh' | 'dc2' | 'c' | 'c2' | 'acts', tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const outs = [wasm.makeOutput(acts.shape, 'float32'), wasm.makeOutput(c.shape, 'float32')];
      const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
      addon.lstmCellGrad(heap(dh), heap(dc2), heap(c), heap(c2), heap(acts), heap(outs[0]), heap(outs[1]), c.shape[1]);
      return outs;
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
      const [dgates, dc] = tf.engine().runKernel(LSTM_CELL_GRAD, { dh, dc2, c, c2, acts }, {}) as tf.Tensor[];
      return { gates: () => dgates, c: () => dc };
    },
  });
}

const LSTM_SEQUENCE = 'WorkbenchLstmSequence';
const LSTM_SEQUENCE_GRAD = 'WorkbenchLstmSequenceGrad';

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

export function registerFusedLstmSequence(blas: BlasAddon): void {
  const { lstmSeq, lstmSeqGrad } = blas;
  if (!lstmSeq || !lstmSeqGrad || tf.getKernel(LSTM_SEQUENCE, 'wasm')) return;
  // Outputs: hs [B, T, H], hT [B, H], cT [B, H]; saved for the gradient, time-major: acts [T, B, 4H],
  // cprev, c2, hprev [T, B, H].
  tf.registerKernel({
    kernelName: LSTM_SEQUENCE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { xproj, U, h0, c0, mask } = inputs as Record<'xproj' | 'U' | 'h0' | 'c0' | 'mask', tf.TensorInfo>;
      const [B, T, G] = xproj.shape;
      const H = G / 4;
      const wasm = backend as unknown as WasmBackend;
      const shapes = [
        [B, T, H],
        [B, H],
        [B, H],
        [T, B, G],
        [T, B, H],
        [T, B, H],
        [T, B, H],
      ];
      const outs = shapes.map((s) => wasm.makeOutput(s, 'float32'));
      const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array; // views after allocating
      const reverse = (attrs as { reverse: boolean }).reverse ? 1 : 0;
      lstmSeq.call(blas, heap(xproj), heap(U), heap(h0), heap(c0), heap(mask), ...outs.map(heap), [B, T, H, reverse]);
      return outs;
    },
  });
  tf.registerKernel({
    kernelName: LSTM_SEQUENCE_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const names = ['U', 'mask', 'acts', 'cprev', 'c2', 'hprev', 'dhs', 'dhT', 'dcT'] as const;
      const t = inputs as Record<(typeof names)[number], tf.TensorInfo>;
      const [B, T, H] = t.dhs.shape;
      const wasm = backend as unknown as WasmBackend;
      const outs = [
        [B, T, 4 * H],
        [H, 4 * H],
        [B, H],
        [B, H],
      ].map((s) => wasm.makeOutput(s, 'float32'));
      const heap = (x: tf.TensorInfo) => wasm.typedArrayFromHeap(x) as Float32Array;
      const scratch = [new Float32Array(T * B * 4 * H), new Float32Array(B * H)];
      const reverse = (attrs as { reverse: boolean }).reverse ? 1 : 0;
      lstmSeqGrad.call(blas, ...names.map((n) => heap(t[n])), ...outs.map(heap), ...scratch, [B, T, H, reverse]);
      return outs;
    },
  });
  tf.registerGradient({
    kernelName: LSTM_SEQUENCE,
    inputsToSave: ['U', 'mask'],
    outputsToSave: [false, false, false, true, true, true, true],
    gradFunc: (dy, saved, attrs) => {
      const [U, mask, acts, cprev, c2, hprev] = saved;
      const [dhs, dhT, dcT] = dy as Array<tf.Tensor | null>;
      const [B, T] = mask.shape;
      const H = U.shape[0];
      // Computed once here (the engine asks for each input's gradient separately); an output outside the
      // backprop graph arrives as null: zero gradient.
      const grads = tf.engine().runKernel(
        LSTM_SEQUENCE_GRAD,
        {
          U,
          mask,
          acts,
          cprev,
          c2,
          hprev,
          dhs: dhs ?? tf.zeros([B, T, H]),
          dhT: dhT ?? tf.zeros([B, H]),
          dcT: dcT ?? tf.zeros([B, H]),
        },
        attrs as tf.NamedAttrMap,
      ) as tf.Tensor[];
      const [dxproj, dU, dh0, dc0] = grads;
      return { xproj: () => dxproj, U: () => dU, h0: () => dh0, c0: () => dc0, mask: () => tf.zerosLike(mask) };
    },
  });
}
