import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from '../blas-addon.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/**
 * wasm's Exp and Tanh by the addon's vectorised expf/tanhf (wasm-blas). The log-softmax over the output
 * layer's [batch*len, vocab] logits takes two exps per train step, every LSTM step two tanhs and their
 * gradients; wasm's scalar versions made them the largest costs after matmuls. Below 1,024 elements and
 * for other dtypes, wasm's own.
 */
export function vectorisedUnary(kernelName: 'Exp' | 'Tanh', fn: 'vexp' | 'vtanh'): KernelSpec {
  return {
    kernelName,
    backendName: 'wasm',
    wraps: true,
    needs: [fn],
    kernelFunc: ({ original, blas }) => {
      const addon = blas as BlasAddon;
      const apply = (addon[fn] as NonNullable<BlasAddon[typeof fn]>).bind(addon);
      const fallback = original as tf.KernelFunc;
      return (args) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        const size = x.shape.reduce((p, d) => p * d, 1);
        if (x.dtype !== 'float32' || size < 1024) return fallback(args);
        const backend = args.backend as unknown as WasmBackend;
        const out = backend.makeOutput(x.shape, 'float32');
        apply(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array);
        return out;
      };
    },
  };
}
