import * as tf from '@tensorflow/tfjs-core';

/**
 * The training loss per target token straight from the output layer's [N, V] logits, as one native
 * kernel forward and one backward (native/cross-entropy.c), where the addon is loaded (wasm-blas).
 * Op by op (log-softmax, the gold gather and its scatter, the sum over the vocabulary for label
 * smoothing and its broadcast) the loss made ~10 passes over [N, V] arrays and held three or four of
 * them at once: at the real-data size (N = 3000, V = 10000) each is 120 MB. This keeps only the
 * logits (the output product's own) and one log-sum-exp per row for the gradient. Declared in
 * kernel-configs/cross-entropy*.ts and grad-configs/cross-entropy.ts.
 */
export const CROSS_ENTROPY = 'WorkbenchCrossEntropy';
export const CROSS_ENTROPY_GRAD = 'WorkbenchCrossEntropyGrad';

export interface CrossEntropyAttrs {
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
  const attrs: CrossEntropyAttrs = { smoothing, pad };
  const [loss, nll] = tf
    .engine()
    .runKernel(CROSS_ENTROPY, { logits, targets }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { loss: loss as tf.Tensor1D, nll: nll as tf.Tensor1D };
}
