import * as tf from '@tensorflow/tfjs-core';
import { PAD_ID } from '../text/vocab.ts';

/**
 * Training dynamics of each pair for dataset cartography (Swayamdipta et al. 2020, "Dataset Cartography"),
 * read off the training forward pass itself, so that a run with `cartography` on pays no extra forward
 * pass: the loss already has each token's gold NLL (loss.ts, perToken); what is added per batch is an
 * exp and a mean over [batch, trgLen], one argMax over the logits (for correctness) and a download of two
 * [batch] vectors. With the option off nothing here runs.
 *
 * Per sentence and epoch: the mean probability of its gold target tokens (<eos> included), and the share
 * of them the model ranked first. The store (store/cartography.ts) keeps them per epoch and summarises
 * them per pair: confidence (mean over epochs), variability (standard deviation), correctness.
 */
export interface BatchDynamics {
  /** the batch's pair ids, in row order */
  ids: number[];
  /** [batch] mean gold-token probability per sentence */
  goldProb: Float32Array;
  /** [batch] share of gold tokens that were the argmax */
  correct: Float32Array;
}

export interface DynamicsTensors {
  goldProb: tf.Tensor1D;
  correct: tf.Tensor1D;
}

/**
 * logits [batch, trgLen, V], trgOut [batch, trgLen] int32 (PAD_ID padded), tokenNll [batch * trgLen]
 * (0 at padding) → per sentence [batch]: mean gold probability, share of gold tokens ranked first.
 */
export function sentenceDynamics(logits: tf.Tensor3D, trgOut: tf.Tensor2D, tokenNll: tf.Tensor1D): DynamicsTensors {
  return tf.tidy(() => {
    const [batch, trgLen] = trgOut.shape;
    const mask = tf.cast(tf.notEqual(trgOut, tf.scalar(PAD_ID, 'int32')), 'float32'); // [batch, trgLen]
    const count = tf.maximum(tf.sum(mask, 1), 1); // [batch]
    const prob = tf.mul(tf.exp(tf.neg(tf.reshape(tokenNll, [batch, trgLen]))), mask); // [batch, trgLen]
    const top = tf.cast(tf.equal(tf.argMax(logits, 2), tf.cast(trgOut, 'int32')), 'float32'); // [batch, trgLen]
    return {
      goldProb: tf.div(tf.sum(prob, 1), count) as tf.Tensor1D,
      correct: tf.div(tf.sum(tf.mul(top, mask), 1), count) as tf.Tensor1D,
    };
  });
}

/** The batch's dynamics as plain numbers (the tensors are disposed). */
export async function downloadDynamics(ids: readonly number[], t: DynamicsTensors): Promise<BatchDynamics> {
  try {
    const [goldProb, correct] = await Promise.all([t.goldProb.data(), t.correct.data()]);
    return { ids: [...ids], goldProb: Float32Array.from(goldProb), correct: Float32Array.from(correct) };
  } finally {
    t.goldProb.dispose();
    t.correct.dispose();
  }
}
