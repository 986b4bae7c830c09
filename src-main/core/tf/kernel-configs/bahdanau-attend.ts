import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { ATTEND, type AttendInputs } from '../fused-attention.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** One Bahdanau attention step (fused-attention.ts) on wasm-blas → context [B, D] and weights [B, S]. */
export const bahdanauAttendConfig: KernelSpec = {
  kernelName: ATTEND,
  backendName: 'wasm',
  needs: ['bahdanauAttend', 'bahdanauAttendGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const bahdanauAttend = addon.bahdanauAttend as NonNullable<BlasAddon['bahdanauAttend']>;
    return ({ inputs, backend }) => {
      const { q, keys, v, bias, states } = inputs as Record<keyof AttendInputs, tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const [B, S, D] = states.shape;
      const outs = [wasm.makeOutput([B, D], 'float32'), wasm.makeOutput([B, S], 'float32')]; // context, weights
      // views after allocating
      const [a, b, c, d, e, ctx, w] = [q, keys, v, bias, states, ...outs].map((t) => f32(wasm, t));
      bahdanauAttend.call(addon, a, b, c, d, e, ctx, w);
      return outs;
    };
  },
};
