import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { CROSS_ENTROPY_GRAD, type CrossEntropyAttrs } from '../fused-cross-entropy.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/** The cross-entropy's gradient with respect to the logits, dx [N, V], from both losses' gradients [N]. */
export const crossEntropyBackwardConfig: KernelSpec = {
  kernelName: CROSS_ENTROPY_GRAD,
  backendName: 'wasm',
  needs: ['crossEntropy', 'crossEntropyGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const crossEntropyGrad = addon.crossEntropyGrad as NonNullable<BlasAddon['crossEntropyGrad']>;
    return ({ inputs, backend, attrs }) => {
      type Input = 'logits' | 'targets' | 'lse' | 'dLoss' | 'dNll';
      const { logits, targets, lse, dLoss, dNll } = inputs as Record<Input, tf.TensorInfo>;
      const { smoothing, pad } = attrs as unknown as CrossEntropyAttrs;
      const wasm = backend as unknown as WasmBackend;
      const dx = wasm.makeOutput(logits.shape, 'float32');
      const [x, l, dl, dn, out] = [logits, lse, dLoss, dNll, dx].map((t) => f32(wasm, t));
      const ids = wasm.typedArrayFromHeap(targets) as Int32Array;
      crossEntropyGrad.call(addon, x, ids, l, dl, dn, out, smoothing, pad);
      return dx;
    };
  },
};
