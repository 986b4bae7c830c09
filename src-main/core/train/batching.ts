import * as tf from '@tensorflow/tfjs-core';
import { EOS_ID, PAD_ID, SOS_ID } from '../text/vocab.ts';
import { Rng } from '../rng.ts';
import { asExampleSource, type Example, type Examples, type ExampleSource } from './example-source.ts';

export type { Example, Examples } from './example-source.ts';

/**
 * Turning encoded pairs into padded, length-bucketed batches.
 *
 * Within one epoch the examples are shuffled (seeded by random_seed and the epoch
 * number), cut into chunks of ~100 batches, each chunk sorted by length, cut into
 * batches, and the batches shuffled again. Sentences of similar length then share
 * a batch (little padding) while the order still changes every epoch. Because the
 * order of epoch e is a pure function of (seed, e), a checkpoint only needs the
 * epoch and the position within it to resume on exactly the same batches.
 * Planning reads only the examples' lengths; a batch reads its own rows (an
 * ExampleSource may keep them on disk).
 */

/** A padded batch as flat row-major int32 arrays (made into tensors only when used). */
export interface Batch {
  size: number;
  srcLen: number;
  trgLen: number;
  /** [size, srcLen] source ids, padded with PAD_ID */
  src: Int32Array;
  /** [size, trgLen] decoder input: <sos> y1 .. yn, padded */
  trgIn: Int32Array;
  /** [size, trgLen] decoder output: y1 .. yn <eos>, padded */
  trgOut: Int32Array;
  /** Real (non-pad) target tokens, <eos> included: the unit of tokens/s and loss normalisation. */
  nTokens: number;
  ids: number[];
}

export interface BatchOptions {
  batchSize: number;
  batchType: 'sentence' | 'token';
  seed: number;
  /** false: keep the given order (validation), no bucketing or shuffling. */
  shuffle: boolean;
}

/**
 * Whether a pair is trained on (JoeyNMT's max_sent_length): neither side longer than
 * maxLength tokens, and a source that is not empty.
 */
export function withinLength(e: Pick<Example, 'src' | 'trg'>, maxLength: number): boolean {
  return e.src.length > 0 && e.src.length <= maxLength && e.trg.length <= maxLength;
}

/** The batches of one epoch, as lists of indices into `examples`. */
export function epochBatches(examples: Examples, epoch: number, opts: BatchOptions): number[][] {
  const source = asExampleSource(examples);
  const order = Array.from({ length: source.size }, (_, i) => i);
  if (!opts.shuffle) return cut(order, source, opts);
  const rng = Rng.derive(opts.seed, 0xba7c, epoch);
  rng.shuffle(order);
  const chunkSentences =
    opts.batchType === 'sentence' ? opts.batchSize * 100 : Math.max(1, Math.round(opts.batchSize / 10)) * 100;
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += chunkSentences) {
    const chunk = order.slice(start, start + chunkSentences);
    chunk.sort(
      (a, b) => source.srcLength(a) - source.srcLength(b) || source.trgLength(a) - source.trgLength(b) || a - b,
    );
    batches.push(...cut(chunk, source, opts));
  }
  return rng.shuffle(batches);
}

/**
 * Cuts an ordered list into batches. Token batches count padded tokens:
 * size * max(srcLen, trgLen + 1) stays within batchSize (at least one sentence).
 */
function cut(order: number[], source: ExampleSource, opts: BatchOptions): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  for (const i of order) {
    if (opts.batchType === 'sentence') {
      current.push(i);
      if (current.length === opts.batchSize) {
        out.push(current);
        current = [];
      }
      continue;
    }
    const len = Math.max(source.srcLength(i), source.trgLength(i) + 1);
    const wouldBe = Math.max(longest, len) * (current.length + 1);
    if (current.length > 0 && wouldBe > opts.batchSize) {
      out.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, len);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Pads the selected examples into one batch. */
export function makeBatch(examples: Examples, indices: readonly number[]): Batch {
  const rows = asExampleSource(examples).read(indices);
  const size = rows.length;
  const srcLen = Math.max(...rows.map((r) => r.src.length), 1);
  const trgLen = Math.max(...rows.map((r) => r.trg.length)) + 1;
  const src = new Int32Array(size * srcLen).fill(PAD_ID);
  const trgIn = new Int32Array(size * trgLen).fill(PAD_ID);
  const trgOut = new Int32Array(size * trgLen).fill(PAD_ID);
  let nTokens = 0;
  rows.forEach((r, b) => {
    src.set(r.src, b * srcLen);
    trgIn[b * trgLen] = SOS_ID;
    trgIn.set(r.trg, b * trgLen + 1);
    trgOut.set(r.trg, b * trgLen);
    trgOut[b * trgLen + r.trg.length] = EOS_ID;
    nTokens += r.trg.length + 1;
  });
  return { size, srcLen, trgLen, src, trgIn, trgOut, nTokens, ids: rows.map((r) => r.id) };
}

export interface BatchTensors {
  src: tf.Tensor2D; // [batch, srcLen]
  trgIn: tf.Tensor2D; // [batch, trgLen]
  trgOut: tf.Tensor2D; // [batch, trgLen]
}

export function batchTensors(batch: Batch): BatchTensors {
  return {
    src: tf.tensor2d(batch.src, [batch.size, batch.srcLen], 'int32'),
    trgIn: tf.tensor2d(batch.trgIn, [batch.size, batch.trgLen], 'int32'),
    trgOut: tf.tensor2d(batch.trgOut, [batch.size, batch.trgLen], 'int32'),
  };
}
