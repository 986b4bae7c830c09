import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.ts';

/**
 * Scheduled sampling (Bengio et al., 2015; teacher_forcing_ratio < 1): during training each
 * target position after the first is fed, with probability 1 - ratio, the model's own greedy
 * prediction of it instead of the gold token. The recurrent decoder predicts step by step, so it
 * feeds the prediction of the step just run; the Transformer decodes all positions at once, so it
 * uses two passes (Mihaylova & Martins, 2019): a teacher-forced pass without gradient predicts
 * every position, a second pass, with gradient, decodes the gold/predicted mix. In both the
 * choice of token is not differentiated (an argmax has no gradient), only its embedding is.
 */

/**
 * Which positions are fed a prediction: [batch * len] row-major, 1 = predicted, 0 = gold; a coin
 * per token of each sentence; position 0 (`<sos>`, nothing predicted before it) is always gold.
 */
export function drawFedPredicted(rng: Rng, batch: number, len: number, ratio: number): Int32Array {
  const fed = new Int32Array(batch * len);
  for (let b = 0; b < batch; b++) for (let t = 1; t < len; t++) fed[b * len + t] = rng.next() >= ratio ? 1 : 0;
  return fed;
}

/** Column t of a [batch, len] plan: [batch], or null when every sentence is fed gold there. */
export function fedAt(fed: Int32Array, batch: number, len: number, t: number): Int32Array | null {
  const column = Int32Array.from({ length: batch }, (_, b) => fed[b * len + t]);
  return column.some((x) => x === 1) ? column : null;
}

/** gold where fed = 0, predicted where fed = 1 (any equal shapes, int32 ids). */
export function mixIds<T extends tf.Tensor>(gold: T, predicted: T, fed: Int32Array): T {
  return tf.where(tf.cast(tf.tensor(fed, gold.shape, 'int32'), 'bool'), predicted, gold) as T;
}

/**
 * `f()`'s value, cut off from the gradient tape (tfjs has no stopGradient). tf.customGrad runs
 * its function as one kernel, so the ops inside are not recorded, and records a node whose
 * inputs are its arguments: with none, nothing on the tape leads from the variables to the value.
 * Without this, autodiff walks back from the embedding lookup into the predicted int32 ids and
 * fails ("Error in gradient for op GatherV2 ... must have 'float32' dtype, but has 'int32'").
 */
export function withoutGradient<T extends tf.Tensor>(f: () => T): T {
  return tf.customGrad(() => ({ value: f(), gradFunc: () => [] }))() as T;
}
