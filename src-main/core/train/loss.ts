import * as tf from '@tensorflow/tfjs-core';
import { fusedCrossEntropy } from '../tf/fused-cross-entropy.ts';
import { fusedLogSoftmax } from '../tf/fused-log-softmax.ts';
import { PAD_ID } from '../text/vocab.ts';

/**
 * Token-level cross-entropy over the target vocabulary, ignoring <pad>, with
 * optional label smoothing in JoeyNMT's form (joeynmt/loss.py, XentLoss): the
 * smoothed target puts 1 - eps on the gold token and spreads eps evenly over the
 * other tokens except <pad>, i.e. eps / (V - 2) each; the loss is the KL divergence
 * KL(q || p) = sum_v q_v (log q_v - log p_v), summed over real target tokens.
 * With eps = 0 this is the plain negative log-likelihood.
 *
 * Computed from log-softmax (x - logsumexp x, stable for large logits) and
 * decomposed so that no [N, V] smoothed distribution is materialised:
 *   -sum_v q_v log p_v = -(1-eps) log p_gold - eps/(V-2) (sum_v log p_v - log p_pad - log p_gold)
 */
export interface LossResult {
  /** scalar: summed loss over real tokens (not normalised) */
  sum: tf.Scalar;
  /** scalar: summed negative log-likelihood of the gold tokens (for ppl) */
  nll: tf.Scalar;
  /** [N] each token's gold negative log-likelihood, 0 at padding: only when asked (train/cartography.ts) */
  tokenNll?: tf.Tensor1D;
}

export function sequenceCrossEntropy(
  logits: tf.Tensor3D, // [batch, trgLen, V]
  targets: tf.Tensor2D, // [batch, trgLen] int32, PAD_ID where padded
  labelSmoothing = 0,
  /** also return the per-token NLL the loss computes anyway (nothing more is computed when false) */
  perToken = false,
): LossResult {
  return tf.tidy(() => {
    const vocab = logits.shape[2];
    const flatLogits = tf.reshape(logits, [-1, vocab]) as tf.Tensor2D; // [N, V]
    const flatTargets = tf.reshape(targets, [-1]) as tf.Tensor1D; // [N]
    const mask = tf.cast(tf.notEqual(flatTargets, tf.scalar(PAD_ID, 'int32')), 'float32'); // [N]
    // wasm-blas: the same formula per token in one native pass (tf/fused-cross-entropy.ts).
    const fused = fusedCrossEntropy(flatLogits, tf.cast(flatTargets, 'int32') as tf.Tensor1D, labelSmoothing, PAD_ID);
    if (fused) {
      const nll = tf.sum(tf.mul(fused.nll, mask)) as tf.Scalar;
      const sum = labelSmoothing > 0 ? (tf.sum(tf.mul(fused.loss, mask)) as tf.Scalar) : nll;
      return perToken ? { sum, nll, tokenNll: tf.mul(fused.nll, mask) as tf.Tensor1D } : { sum, nll };
    }
    const logProbs = fusedLogSoftmax(flatLogits) ?? tf.logSoftmax(flatLogits); // [N, V]
    // The gold log-probs picked with one gather on the flattened [N*V] array: no [N, V] one-hot
    // mask to build, multiply and differentiate (its gradient is a scatter of N values).
    const n = flatTargets.shape[0];
    const flatIdx = tf.add(
      tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(vocab, 'int32')),
      tf.cast(flatTargets, 'int32'),
    ); // [N]
    const goldLogProb = tf.gather(tf.reshape(logProbs, [-1]), flatIdx); // [N]
    const nll = tf.neg(tf.sum(tf.mul(goldLogProb, mask)));
    const extra = perToken ? { tokenNll: tf.neg(tf.mul(goldLogProb, mask)) as tf.Tensor1D } : {};
    if (labelSmoothing <= 0 || vocab <= 2) return { sum: nll as tf.Scalar, nll: nll as tf.Scalar, ...extra };

    const eps = labelSmoothing;
    const spread = eps / (vocab - 2);
    const allLogProb = tf.sum(logProbs, -1); // [N]
    const padLogProb = tf.reshape(tf.slice(logProbs, [0, PAD_ID], [-1, 1]), [-1]); // [N]
    const crossEnt = tf.neg(
      tf.add(tf.mul(goldLogProb, 1 - eps), tf.mul(tf.sub(tf.sub(allLogProb, padLogProb), goldLogProb), spread)),
    ); // [N]
    // Entropy of the smoothed target, a constant per real token: makes it a KL (0 at best).
    const entropy = -((1 - eps) * Math.log(1 - eps) + eps * Math.log(spread));
    const perTokenLoss = tf.sub(crossEnt, entropy);
    return { sum: tf.sum(tf.mul(perTokenLoss, mask)) as tf.Scalar, nll: nll as tf.Scalar, ...extra };
  });
}

/** Divisor of the summed loss: target tokens (default) or sentences (JoeyNMT's normalization). */
export function lossNormalizer(normalization: 'tokens' | 'batch', nTokens: number, batchSize: number): number {
  return normalization === 'tokens' ? nTokens : batchSize;
}
