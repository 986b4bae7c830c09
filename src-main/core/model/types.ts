import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';

/**
 * The contract every encoder-decoder implements (recurrent with or without
 * attention, Transformer). Training uses `forward`; decoding (greedy, beam,
 * forced prefix) uses `encode` + `initState` + `step`.
 *
 * Convention: every tensor in EncoderOutput and DecoderState is batch-first,
 * so beam search can reorder or tile any model's state with one gather on axis 0.
 * Token ids are int32. Padding id is 0 (`<pad>`); see text/vocab.ts.
 */
export interface EncoderOutput {
  /** [batch, srcLen, encDim] top-layer encoder states (attention memory). */
  states: tf.Tensor3D;
  /** [batch, srcLen] 1 for real tokens, 0 for padding. float32. */
  srcMask: tf.Tensor2D;
  /** Model-specific batch-first tensors (e.g. final RNN h/c per layer). */
  extra: Record<string, tf.Tensor>;
}

/** Model-specific decoder state; every tensor batch-first. */
export type DecoderState = Record<string, tf.Tensor>;

export interface StepOutput {
  /** [batch, trgVocab] unnormalised scores for the next token. */
  logits: tf.Tensor2D;
  state: DecoderState;
  /** [batch, srcLen] attention weights of this step (attention models only). */
  attention?: tf.Tensor2D;
}

export interface ForwardOutput {
  /** [batch, trgLen, trgVocab] */
  logits: tf.Tensor3D;
  /** [batch, trgLen, srcLen] (attention models only) */
  attention?: tf.Tensor3D;
}

export interface Seq2SeqModel {
  readonly config: RunConfig;
  readonly srcVocabSize: number;
  readonly trgVocabSize: number;
  /** Trainable parameters by stable name (the checkpoint's weight names). */
  readonly variables: ReadonlyMap<string, tf.Variable>;

  /** src: [batch, srcLen] int32, padded with 0. */
  encode(src: tf.Tensor2D, training: boolean): EncoderOutput;
  initState(enc: EncoderOutput): DecoderState;
  /** prev: [batch] int32, the previous target token (`<sos>` at the first step). */
  step(prev: tf.Tensor1D, state: DecoderState, enc: EncoderOutput, training: boolean): StepOutput;

  /**
   * Teacher-forced pass over a whole target input (`<sos> y1 .. y_{n-1}`).
   * With teacherForcingRatio < 1 (scheduled sampling), some steps feed the model's
   * own previous prediction instead of the gold token.
   * src: [batch, srcLen], trgIn: [batch, trgLen] int32.
   */
  forward(src: tf.Tensor2D, trgIn: tf.Tensor2D, training: boolean, teacherForcingRatio?: number): ForwardOutput;

  dispose(): void;
}
