import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/** The kernel train/optimizers.ts runs where registered: inputs param, grad, m, v → [param, m, v] updated. */
export const FUSED_ADAM = 'WorkbenchFusedAdam';
export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  weightDecay: number;
  stepSize: number;
  sqrtBias2: number;
  eps: number;
}

/** The addon's one-pass Adam update as a wasm kernel (wasm-blas). */
export const fusedAdamConfig: KernelSpec = {
  kernelName: FUSED_ADAM,
  backendName: 'wasm',
  needs: ['adam'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const adam = (addon.adam as NonNullable<BlasAddon['adam']>).bind(addon);
    return (args) => {
      const { param, grad, m, v } = args.inputs as Record<'param' | 'grad' | 'm' | 'v', tf.TensorInfo>;
      const a = args.attrs as unknown as FusedAdamAttrs;
      const backend = args.backend as unknown as WasmBackend;
      const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
      const outs = [param, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
      const hyper = Float32Array.of(a.beta1, a.beta2, a.weightDecay, a.stepSize, a.sqrtBias2, a.eps);
      adam(heap(param), heap(grad), heap(m), heap(v), heap(outs[0]), heap(outs[1]), heap(outs[2]), hyper);
      return outs;
    };
  },
};
