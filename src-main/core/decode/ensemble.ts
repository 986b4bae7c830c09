import * as tf from '@tensorflow/tfjs-core';
import type { DecoderState, EncoderOutput, ForwardOutput, Seq2SeqModel, StepOutput } from '../model/types.ts';
import { logSoftmaxRows } from './log-softmax.ts';

/**
 * Several models decoding as one (OpenNMT-py's and fairseq's ensembles): at every step each
 * member scores the next token and the ensemble's scores are the mean of the members'
 * log-probabilities. The search normalises what `step` returns, so it decodes the normalised
 * geometric mean of the members' distributions (a product of experts); for one member that is
 * the member's own distribution.
 *
 * The search sees one model whose encoder output and decoder state hold every member's,
 * batch-first, so it reorders and re-gathers them all with its usual gathers: member 0 keeps
 * the plain names (`states`, `srcMask`, its own extras), member i > 0 is stored under `m<i>:`.
 * Members must share the source and target vocabularies (the caller checks, with names).
 */
export class EnsembleModel implements Seq2SeqModel {
  readonly config: Seq2SeqModel['config'];
  readonly srcVocabSize: number;
  readonly trgVocabSize: number;
  /** no parameters of its own: the members own theirs */
  readonly variables: ReadonlyMap<string, tf.Variable> = new Map();

  constructor(readonly members: readonly Seq2SeqModel[]) {
    if (members.length === 0) throw new RangeError('an ensemble needs at least one model');
    const [first] = members;
    for (const m of members) {
      if (m.trgVocabSize !== first.trgVocabSize || m.srcVocabSize !== first.srcVocabSize) {
        throw new RangeError('ensemble members must share their vocabularies');
      }
    }
    this.config = first.config;
    this.srcVocabSize = first.srcVocabSize;
    this.trgVocabSize = first.trgVocabSize;
  }

  /** src: [batch, srcLen] int32 → every member's encoder output, packed into one. */
  encode(src: tf.Tensor2D, training: boolean): EncoderOutput {
    const outs = this.members.map((m) => m.encode(src, training));
    const packed: EncoderOutput = { states: outs[0].states, srcMask: outs[0].srcMask, extra: { ...outs[0].extra } };
    outs.slice(1).forEach((enc, j) => {
      const p = prefix(j + 1);
      packed.extra[`${p}states`] = enc.states;
      packed.extra[`${p}srcMask`] = enc.srcMask;
      for (const [name, t] of Object.entries(enc.extra)) packed.extra[`${p}extra:${name}`] = t;
    });
    return packed;
  }

  initState(enc: EncoderOutput): DecoderState {
    const state: DecoderState = {};
    this.members.forEach((m, i) => Object.assign(state, withPrefix(i, m.initState(this.memberEncoder(enc, i)))));
    return state;
  }

  /**
   * prev: [batch] int32 → logits: [batch, trgVocab], the mean over members of log softmax(logits_i);
   * attention: [batch, srcLen], the mean of the members that attend.
   */
  step(prev: tf.Tensor1D, state: DecoderState, enc: EncoderOutput, training: boolean): StepOutput {
    const outs = this.members.map((m, i) => m.step(prev, memberState(state, i), this.memberEncoder(enc, i), training));
    const mean = (ts: tf.Tensor[]) => tf.tidy(() => tf.div(tf.addN(ts), ts.length) as tf.Tensor2D);
    const logits = tf.tidy(() => mean(outs.map((o) => logSoftmaxRows(o.logits))));
    const attentions = outs.flatMap((o) => (o.attention ? [o.attention] : []));
    const attention = attentions.length ? mean(attentions) : undefined;
    tf.dispose([...outs.map((o) => o.logits), ...attentions]);
    const next: DecoderState = {};
    outs.forEach((o, i) => Object.assign(next, withPrefix(i, o.state)));
    return { logits, state: next, attention };
  }

  forward(): ForwardOutput {
    throw new Error('an ensemble decodes; it is not trained');
  }

  /** The ensemble owns its members (loaded for it, not shared with a translator cache). */
  dispose(): void {
    for (const m of this.members) m.dispose();
  }

  private memberEncoder(enc: EncoderOutput, i: number): EncoderOutput {
    if (i === 0) {
      const extra = Object.fromEntries(Object.entries(enc.extra).filter(([k]) => !/^m\d+:/.test(k)));
      return { states: enc.states, srcMask: enc.srcMask, extra };
    }
    const p = prefix(i);
    const extra: Record<string, tf.Tensor> = {};
    const own = `${p}extra:`;
    for (const [k, t] of Object.entries(enc.extra)) if (k.startsWith(own)) extra[k.slice(own.length)] = t;
    return { states: enc.extra[`${p}states`] as tf.Tensor3D, srcMask: enc.extra[`${p}srcMask`] as tf.Tensor2D, extra };
  }
}

const prefix = (i: number) => `m${i}:`;

function withPrefix(i: number, state: DecoderState): DecoderState {
  return Object.fromEntries(Object.entries(state).map(([k, t]) => [`${prefix(i)}${k}`, t]));
}

function memberState(state: DecoderState, i: number): DecoderState {
  const p = prefix(i);
  const own = Object.entries(state).filter(([k]) => k.startsWith(p));
  return Object.fromEntries(own.map(([k, t]) => [k.slice(p.length), t]));
}
