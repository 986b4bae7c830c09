import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LSTM_SEQUENCE } from '../fused-lstm.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/**
 * A whole LSTM layer over a sequence (fused-lstm.ts) on wasm-blas. Inputs xproj [B, T, 4H], U [H, 4H],
 * h0/c0 [B, H], mask [B, T]. Outputs: hs [B, T, H], hT [B, H], cT [B, H]; saved for the gradient,
 * time-major: acts [T, B, 4H], cprev, c2, hprev [T, B, H]. Registered only with its gradient's kernel.
 */
export const lstmSequenceConfig: KernelSpec = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'wasm',
  needs: ['lstmSeq', 'lstmSeqGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const lstmSeq = addon.lstmSeq as NonNullable<BlasAddon['lstmSeq']>;
    return ({ inputs, attrs, backend }) => {
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
      const heap = (t: tf.TensorInfo) => f32(wasm, t); // views after allocating
      const reverse = (attrs as { reverse: boolean }).reverse ? 1 : 0;
      lstmSeq.call(addon, heap(xproj), heap(U), heap(h0), heap(c0), heap(mask), ...outs.map(heap), [B, T, H, reverse]);
      return outs;
    };
  },
};
