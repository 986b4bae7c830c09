import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LSTM_SEQUENCE_GRAD } from '../fused-lstm.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** The gradients of a whole LSTM layer: dxproj [B, T, 4H], dU [H, 4H], dh0 and dc0 [B, H] (wasm-blas). */
export const lstmSequenceBackwardConfig: KernelSpec = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'wasm',
  needs: ['lstmSeq', 'lstmSeqGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const lstmSeqGrad = addon.lstmSeqGrad as NonNullable<BlasAddon['lstmSeqGrad']>;
    return ({ inputs, attrs, backend }) => {
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
      const heap = (x: tf.TensorInfo) => f32(wasm, x);
      const scratch = [new Float32Array(T * B * 4 * H), new Float32Array(B * H)];
      const reverse = (attrs as { reverse: boolean }).reverse ? 1 : 0;
      lstmSeqGrad.call(addon, ...names.map((n) => heap(t[n])), ...outs.map(heap), ...scratch, [B, T, H, reverse]);
      return outs;
    };
  },
};
