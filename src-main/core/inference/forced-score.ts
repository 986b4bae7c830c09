import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqModel } from '../model/types.ts';
import type { TextPipeline } from '../text/pipeline.ts';
import { batchTensors, makeBatch } from '../train/batching.ts';
import type { Example } from '../train/example-source.ts';
import { PAD_ID } from '../text/vocab.ts';

/**
 * Forced decoding: how likely a model finds a pair's own target given its source,
 * log P(y | x) = sum_t log p(y_t | y_<t, x) over the target tokens and <eos>, from one
 * teacher-forced pass (Seq2SeqModel.forward, no dropout). A pair the model finds unlikely for
 * its length (a low score per token) is a candidate misalignment (issue 15: the model_score filter).
 */
export interface ForcedScore {
  /** summed natural-log probability of the target tokens and <eos> */
  logProb: number;
  tokens: number;
}

/** Sides longer than this are cut before scoring: the score is per token, and a batch must stay bounded. */
export const MAX_SCORED_TOKENS = 256;
/** logits held at once (batch x trgLen x vocabulary floats): about 128 MB */
const LOGIT_BUDGET = 32 * 2 ** 20;

export async function forcedScores(
  model: Seq2SeqModel,
  pipeline: TextPipeline,
  pairs: ReadonlyArray<{ source: string; target: string }>,
): Promise<ForcedScore[]> {
  const examples: Example[] = pairs.map((p, i) => ({
    id: i,
    // an empty source still needs one position to encode (the model reads <pad> there, masked)
    src: pipeline.encodeSource(p.source).slice(0, MAX_SCORED_TOKENS),
    trg: pipeline.encodeTarget(p.target).slice(0, MAX_SCORED_TOKENS),
  }));
  // By target length, so a batch pads little; results go back to input order.
  const order = examples.map((_, i) => i).sort((a, b) => examples[a].trg.length - examples[b].trg.length || a - b);
  const out = new Array<ForcedScore>(pairs.length);
  for (let start = 0; start < order.length;) {
    const longest = examples[order[Math.min(order.length - 1, start)]].trg.length + 1;
    const size = Math.max(1, Math.min(64, Math.floor(LOGIT_BUDGET / (longest * model.trgVocabSize))));
    // the batch's longest target is its last one (sorted), so the budget holds for the whole batch
    let end = Math.min(order.length, start + size);
    while (
      end - 1 > start &&
      (examples[order[end - 1]].trg.length + 1) * (end - start) * model.trgVocabSize > LOGIT_BUDGET
    )
      end--;
    const indices = order.slice(start, end);
    const batch = makeBatch(examples, indices);
    const sums = await batchLogProbs(model, batch);
    indices.forEach((i, k) => (out[i] = { logProb: sums[k], tokens: examples[i].trg.length + 1 }));
    start = end;
  }
  return out;
}

/** [batch] summed gold log-probabilities of one padded batch. */
async function batchLogProbs(model: Seq2SeqModel, batch: ReturnType<typeof makeBatch>): Promise<Float32Array> {
  const t = batchTensors(batch);
  try {
    const sums = tf.tidy(() => {
      const { logits } = model.forward(t.src, t.trgIn, false); // [batch, trgLen, V]
      const logProbs = tf.logSoftmax(logits); // [batch, trgLen, V]
      const [b, len, vocab] = logits.shape;
      const flatTargets = tf.reshape(t.trgOut, [-1]) as tf.Tensor1D; // [batch * trgLen]
      // [batch * trgLen] positions of the gold tokens in the flattened [batch * trgLen * V] log-probabilities
      const rows = tf.mul(tf.range(0, b * len, 1, 'int32'), tf.scalar(vocab, 'int32'));
      const flatIdx = tf.add(rows, flatTargets);
      const gold = tf.reshape(tf.gather(tf.reshape(logProbs, [-1]), flatIdx), [b, len]); // [batch, trgLen]
      const mask = tf.cast(tf.notEqual(t.trgOut, tf.scalar(PAD_ID, 'int32')), 'float32');
      return tf.sum(tf.mul(gold, mask), 1); // [batch]
    });
    const data = (await sums.data()) as Float32Array;
    sums.dispose();
    return data;
  } finally {
    t.src.dispose();
    t.trgIn.dispose();
    t.trgOut.dispose();
  }
}
