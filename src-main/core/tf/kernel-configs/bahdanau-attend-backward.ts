import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { ATTEND_GRAD } from '../fused-attention.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** The gradients of a Bahdanau step with respect to q, keys, v and states, the energy recomputed (wasm-blas). */
export const bahdanauAttendBackwardConfig: KernelSpec = {
  kernelName: ATTEND_GRAD,
  backendName: 'wasm',
  needs: ['bahdanauAttend', 'bahdanauAttendGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const bahdanauAttendGrad = addon.bahdanauAttendGrad as NonNullable<BlasAddon['bahdanauAttendGrad']>;
    return ({ inputs, backend }) => {
      const { q, keys, v, states, weights, dContext, dWeights } = inputs as Record<string, tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const [B, S, D] = states.shape;
      const H = v.shape[0];
      const outs = [q.shape, keys.shape, v.shape, states.shape].map((shape) => wasm.makeOutput(shape, 'float32'));
      const views = [q, keys, v, states, weights, dContext, dWeights, ...outs].map((t) => f32(wasm, t));
      bahdanauAttendGrad.call(addon, ...views, [B, S, H, D]);
      return outs;
    };
  },
};
