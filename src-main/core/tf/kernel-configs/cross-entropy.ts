import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import { CROSS_ENTROPY, type CrossEntropyAttrs } from '../fused-cross-entropy.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { f32, type WasmBackend } from '../wasm-kernel.ts';

/**
 * Per-token cross-entropy (fused-cross-entropy.ts) on wasm-blas: logits [N, V], targets [N] int32 →
 * loss, nll and the log-sum-exp the gradient needs, each [N].
 */
export const crossEntropyConfig: KernelSpec = {
  kernelName: CROSS_ENTROPY,
  backendName: 'wasm',
  needs: ['crossEntropy', 'crossEntropyGrad'],
  kernelFunc: ({ blas }) => {
    const addon = blas as BlasAddon;
    const crossEntropy = addon.crossEntropy as NonNullable<BlasAddon['crossEntropy']>;
    return ({ inputs, backend, attrs }) => {
      const { logits, targets } = inputs as { logits: tf.TensorInfo; targets: tf.TensorInfo };
      const { smoothing, pad } = attrs as unknown as CrossEntropyAttrs;
      const wasm = backend as unknown as WasmBackend;
      const outs = [0, 1, 2].map(() => wasm.makeOutput([logits.shape[0]], 'float32')); // loss, nll, lse
      // Views after allocating: makeOutput may grow (and move) the heap.
      crossEntropy.call(
        addon,
        f32(wasm, logits),
        wasm.typedArrayFromHeap(targets) as Int32Array,
        ...(outs.map((o) => f32(wasm, o)) as [Float32Array, Float32Array, Float32Array]),
        smoothing,
        pad,
      );
      return outs;
    };
  },
};
