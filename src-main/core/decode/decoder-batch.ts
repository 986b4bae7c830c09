import * as tf from '@tensorflow/tfjs-core';
import type { DecoderState, EncoderOutput, Seq2SeqModel } from '../model/types.ts';
import { PAD_ID } from '../text/vocab.ts';
import { gatherRows } from './gather-rows.ts';
import { logSoftmaxRows } from './log-softmax.ts';

/**
 * The tensor side of a batched search: the encoder runs once; its outputs are re-gathered only when
 * the rows' sentences change (sentences finished, beams widened), while the decoder state is
 * reordered by parent row after every step. Every row of the decoder batch is one live hypothesis.
 */
export interface StepOutput {
  /** [rows × vocab] log-probs, row-major */
  logp: Float32Array;
  vocab: number;
  /** [rows × srcWidth] attention weights (attention models), row-major */
  att: Float32Array | null;
  srcWidth: number;
}

export class DecoderBatch {
  private enc: EncoderOutput;
  /** sentence of each encoder row */
  private encSents: number[];
  private state: DecoderState;
  /** the state the last step produced, until `advance` picks its rows */
  private pending: DecoderState | null = null;

  /** `rowSents`: the sentence of each starting row (one per sentence, or several: samples). */
  constructor(
    private readonly model: Seq2SeqModel,
    srcIds: readonly number[][],
    rowSents: readonly number[],
  ) {
    const n = srcIds.length;
    const width = Math.max(...srcIds.map((s) => Math.max(1, s.length)));
    const padded = new Int32Array(n * width);
    srcIds.forEach((s, i) => padded.set(s.length ? s : [PAD_ID], i * width));
    this.enc = tidy(() => model.encode(tf.tensor2d(padded, [n, width], 'int32'), false));
    this.encSents = srcIds.map((_, i) => i);
    // Cloned: a model may hand encoder tensors over as its initial state (init_hidden=last).
    const initial = tidy(() => cloneAll(model.initState(this.enc)));
    this.state = sameArray(rowSents, this.encSents) ? initial : reorderState(initial, [...rowSents]);
    if (this.state !== initial) disposeState(initial);
  }

  /** One decoder step for rows whose sentences are `rowSents` and previous tokens `prev`. */
  async step(prev: readonly number[], rowSents: readonly number[]): Promise<StepOutput> {
    if (!sameArray(rowSents, this.encSents)) {
      const from = rowSents.map((s) => this.encSents.indexOf(s));
      const old = this.enc;
      this.enc = gatherEncoder(old, from);
      disposeEncoder(old);
      this.encSents = [...rowSents];
    }
    const out = tidy(() => {
      const step = this.model.step(tf.tensor1d([...prev], 'int32'), this.state, this.enc, false);
      return { logp: logSoftmaxRows(step.logits), state: step.state, attention: step.attention };
    });
    this.pending = out.state;
    // Read asynchronously: a GPU backend (webgpu) cannot read synchronously in Node.
    const logp = (await out.logp.data()) as Float32Array;
    const att = out.attention ? ((await out.attention.data()) as Float32Array) : null;
    const result = {
      logp,
      vocab: out.logp.shape[1] as number,
      att,
      srcWidth: out.attention ? (out.attention.shape[1] as number) : 0,
    };
    out.logp.dispose();
    out.attention?.dispose();
    return result;
  }

  /** The rows that go on: the state of each is its parent row's after the last step. */
  advance(parentRows: readonly number[]): void {
    const produced = this.pending ?? {};
    const old = this.state;
    this.state = parentRows.length ? reorderState(produced, [...parentRows]) : {};
    disposeState(produced);
    disposeState(old);
    this.pending = null;
  }

  dispose(): void {
    disposeEncoder(this.enc);
    disposeState(this.state);
    if (this.pending) disposeState(this.pending);
  }
}

/** tf.tidy for functions returning objects of tensors (keeps every tensor reachable from the result). */
function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => tf.TensorContainer) as T;
}

function cloneAll(state: DecoderState): DecoderState {
  return Object.fromEntries(Object.entries(state).map(([k, t]) => [k, tf.clone(t)]));
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function gatherEncoder(enc: EncoderOutput, rows: number[]): EncoderOutput {
  const extra: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(enc.extra)) extra[name] = gatherRows(t, rows);
  return { states: gatherRows(enc.states, rows), srcMask: gatherRows(enc.srcMask, rows), extra };
}

function reorderState(state: DecoderState, rows: number[]): DecoderState {
  const out: DecoderState = {};
  for (const [name, t] of Object.entries(state)) out[name] = gatherRows(t, rows);
  return out;
}

function disposeEncoder(enc: EncoderOutput): void {
  tf.dispose([enc.states, enc.srcMask, ...Object.values(enc.extra)]);
}

function disposeState(state: DecoderState): void {
  tf.dispose(Object.values(state));
}
