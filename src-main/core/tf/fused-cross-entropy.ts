import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * The training loss per target token straight from the output layer's [N, V] logits, as one native
 * kernel forward and one backward (native/cross-entropy.c), where the addon is loaded (wasm-blas).
 * Op by op (log-softmax, the gold gather and its scatter, the sum over the vocabulary for label
 * smoothing and its broadcast) the loss made ~10 passes over [N, V] arrays and held three or four of
 * them at once: at the real-data size (N = 3000, V = 10000) each is 120 MB. This keeps only the
 * logits (the output product's own) and one log-sum-exp per row for the gradient.
 */
const CROSS_ENTROPY = 'WorkbenchCrossEntropy';
const CROSS_ENTROPY_GRAD = 'WorkbenchCrossEntropyGrad';

interface Attrs {
  smoothing: number;
  pad: number;
}

export interface TokenLosses {
  /** [N] the label-smoothed loss of each token (the KL form of loss.ts; the NLL where smoothing is 0) */
  loss: tf.Tensor1D;
  /** [N] each token's negative log-likelihood of its gold target */
  nll: tf.Tensor1D;
}

/** logits [N, V], targets [N] int32 → per-token losses where the backend has the kernel, else null. */
export function fusedCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  smoothing: number,
  pad: number,
): TokenLosses | null {
  if (!tf.getKernel(CROSS_ENTROPY, tf.getBackend()) || logits.dtype !== 'float32' || targets.dtype !== 'int32')
    return null;
  const attrs: Attrs = { smoothing, pad };
  const [loss, nll] = tf
    .engine()
    .runKernel(CROSS_ENTROPY, { logits, targets }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { loss: loss as tf.Tensor1D, nll: nll as tf.Tensor1D };
}

export function registerFusedCrossEntropy(blas: BlasAddon): void {
  const { crossEntropy, crossEntropyGrad } = blas;
  if (!crossEntropy || !crossEntropyGrad || tf.getKernel(CROSS_ENTROPY, 'wasm')) return;
  const f32 = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const i32 = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Int32Array;
  tf.registerKernel({
    kernelName: CROSS_ENTROPY,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { logits, targets } = inputs as { logits: tf.TensorInfo; targets: tf.TensorInfo };
      const { smoothing, pad } = attrs as unknown as Attrs;
      const wasm = backend as unknown as WasmBackend;
      const outs = [0, 1, 2].map(() => wasm.makeOutput([logits.shape[0]], 'float32')); // loss, nll, lse
      // Views after allocating: makeOutput may grow (and move) the heap.
      crossEntropy.call(
        blas,
        f32(wasm, logits),
        i32(wasm, targets),
        ...(outs.map((o) => f32(wasm, o)) as [Float32Array, Float32Array, Float32Array]),
        smoothing,
        pad,
      );
      return outs;
    },
  });
  tf.registerKernel({
    kernelName: CROSS_ENTROPY_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { logits, targets, lse, dLoss, dNll } = inputs as Record<
        'logits' | 'targets' | 'lse' | 'dLoss' | 'dNll',
        tf.TensorInfo
      >;
      const { smoothing, pad } = attrs as unknown as Attrs;
      const wasm = backend as unknown as WasmBackend;
      const dx = wasm.makeOutput(logits.shape, 'float32');
      const [x, l, dl, dn, out] = [logits, lse, dLoss, dNll, dx].map((t) => f32(wasm, t));
      crossEntropyGrad.call(blas, x, i32(wasm, targets), l, dl, dn, out, smoothing, pad);
      return dx;
    },
  });
  tf.registerGradient({
    kernelName: CROSS_ENTROPY,
    inputsToSave: ['logits', 'targets'],
    outputsToSave: [false, false, true],
    gradFunc: (dy, saved, attrs) => {
      const [logits, targets, lse] = saved;
      // An output outside the backprop graph (nll where only the loss is trained) may arrive as null.
      const [dLoss, dNll] = (dy as Array<tf.Tensor | null>).slice(0, 2).map((d) => d ?? tf.zerosLike(lse));
      return {
        logits: () =>
          tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits, targets, lse, dLoss, dNll }, attrs) as tf.Tensor,
        targets: () => tf.zerosLike(targets),
      };
    },
  });
}
