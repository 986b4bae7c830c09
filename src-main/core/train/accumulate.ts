import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import { batchTensors, type Batch } from './batching.ts';
import { downloadDynamics, sentenceDynamics, type BatchDynamics, type DynamicsTensors } from './cartography.ts';
import { lossNormalizer, sequenceCrossEntropy } from './loss.ts';

/**
 * The gradients of one update over one or more batches (JoeyNMT's batch_multiplier):
 * each batch's summed loss is divided by the normaliser of *all* of them (their target
 * tokens, or sentences), and the batches' gradients are added. So N batches of b give
 * the gradient one batch of N*b would give (the loss is a sum over sentences, and
 * padding is masked), while only one batch's activations are held at a time.
 */
export interface UpdateGradients {
  /** by the model's variable keys (Seq2SeqModel.variables); the caller disposes them */
  grads: tf.NamedTensorMap;
  /** the normalised loss of the update, per target token (label-smoothed if label_smoothing > 0) */
  lossPerToken: number;
  nTokens: number;
  /** per batch, its pairs' training dynamics (config.cartography only) */
  dynamics?: BatchDynamics[];
}

export async function updateGradients(
  model: Seq2SeqModel,
  batches: readonly Batch[],
  config: RunConfig,
): Promise<UpdateGradients> {
  const nTokens = batches.reduce((n, b) => n + b.nTokens, 0);
  const sentences = batches.reduce((n, b) => n + b.size, 0);
  const normalizer = lossNormalizer(config.normalization, nTokens, sentences);
  const keys = new Map([...model.variables].map(([key, v]) => [v.name, key]));
  const vars = [...model.variables.values()];
  const sum: tf.NamedTensorMap = {};
  let lossSum = 0;
  const dynamics: BatchDynamics[] = [];
  for (const batch of batches) {
    const t = batchTensors(batch);
    try {
      const seen: { tensors?: DynamicsTensors } = {};
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward(t.src, t.trgIn, true, config.teacher_forcing_ratio);
        const ce = sequenceCrossEntropy(out.logits, t.trgOut, config.label_smoothing, config.cartography);
        // Cartography: read off this forward pass (kept past the gradient's tidy; not part of the loss).
        if (ce.tokenNll) seen.tensors = keepAll(sentenceDynamics(out.logits, t.trgOut, ce.tokenNll));
        return tf.div(ce.sum, normalizer) as tf.Scalar;
      }, vars);
      lossSum += (await value.data())[0] * normalizer;
      value.dispose();
      if (seen.tensors) dynamics.push(await downloadDynamics(batch.ids, seen.tensors));
      for (const [tfName, g] of Object.entries(grads)) {
        // tf.variableGrads keys gradients by tf.Variable.name; the model names them by its own keys.
        const key = keys.get(tfName) ?? tfName;
        const before = sum[key];
        if (before) {
          sum[key] = tf.add(before, g);
          before.dispose();
          g.dispose();
        } else sum[key] = g;
      }
    } finally {
      t.src.dispose();
      t.trgIn.dispose();
      t.trgOut.dispose();
    }
  }
  return { grads: sum, lossPerToken: lossSum / nTokens, nTokens, ...(config.cartography ? { dynamics } : {}) };
}

function keepAll(d: DynamicsTensors): DynamicsTensors {
  return { goldProb: tf.keep(d.goldProb), correct: tf.keep(d.correct) };
}
