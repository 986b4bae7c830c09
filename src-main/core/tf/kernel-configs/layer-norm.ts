import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LAYER_NORM } from '../fused-layer-norm.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** Layer normalisation over the last dimension (fused-layer-norm.ts) on wasm-blas: x [..., d], gamma/beta [d]. */
export const layerNormConfig: KernelSpec = {
  kernelName: LAYER_NORM,
  backendName: 'wasm',
  needs: ['layerNorm', 'layerNormGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const layerNorm = addon.layerNorm as NonNullable<BlasAddon['layerNorm']>;
    return ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const y = wasm.makeOutput(x.shape, 'float32');
      const [vx, vg, vb, vy] = [x, gamma, beta, y].map((t) => f32(wasm, t)); // views after allocating
      layerNorm.call(addon, vx, vg, vb, vy, (attrs as { epsilon: number }).epsilon);
      return y;
    };
  },
};
