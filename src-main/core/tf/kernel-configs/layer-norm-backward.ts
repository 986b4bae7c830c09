import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { LAYER_NORM_GRAD } from '../fused-layer-norm.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** The layer norm's gradients dx [..., d], dGamma and dBeta [d], its statistics recomputed from x (wasm-blas). */
export const layerNormBackwardConfig: KernelSpec = {
  kernelName: LAYER_NORM_GRAD,
  backendName: 'wasm',
  needs: ['layerNorm', 'layerNormGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const layerNormGrad = addon.layerNormGrad as NonNullable<BlasAddon['layerNormGrad']>;
    return ({ inputs, backend, attrs }) => {
      const { dy, x, gamma } = inputs as Record<'dy' | 'x' | 'gamma', tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const outs = [x.shape, gamma.shape, gamma.shape].map((shape) => wasm.makeOutput(shape, 'float32'));
      const [vdy, vx, vg, dx, dg, db] = [dy, x, gamma, ...outs].map((t) => f32(wasm, t));
      layerNormGrad.call(addon, vdy, vx, vg, dx, dg, db, (attrs as { epsilon: number }).epsilon);
      return outs;
    };
  },
};
