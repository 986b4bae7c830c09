import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { PAD_ID } from '../text/vocab.ts';
import { assertModelConfig, assertTiedVocabularies } from './config-rules.ts';
import { BahdanauAttention, LuongAttention, type Attention } from './attention.ts';
import { dropout, embed, linear, Params } from './params.ts';
import { RecurrentEncoder } from './recurrent-encoder.ts';
import { makeCell, type RnnCell, type RnnState } from './rnn-cells.ts';
import type { DecoderState, EncoderOutput, ForwardOutput, Seq2SeqModel, StepOutput } from './types.ts';
import { Rng } from '../rng.ts';
import { drawFedPredicted, fedAt, mixIds, withoutGradient } from './scheduled-sampling.ts';

/**
 * The recurrent encoder-decoder, from the tutorial's plain LSTM pair to
 * JoeyNMT's RecurrentDecoder:
 *  - attention none: the encoder's final state is the only context (the
 *    tutorial: encoder LSTM → (h, c) → decoder LSTM → linear output);
 *  - attention bahdanau | luong: each step attends over the encoder states
 *    with the new decoder state as query, and predicts from the attentional
 *    vector tanh(W [h; context]) (Luong et al., 2015, eq. 5); with input
 *    feeding that vector is also fed to the next step (3.3).
 */
export class RecurrentModel implements Seq2SeqModel {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly params: Params;
  private readonly srcEmbed: tf.Variable; // [srcV, E]
  private readonly trgEmbed: tf.Variable; // [trgV, E]
  private readonly encoder: RecurrentEncoder;
  private readonly cells: RnnCell[] = [];
  private readonly attention?: Attention;
  private readonly attLayer?: tf.Variable; // [H + encDim, H]
  private readonly bridgeH?: tf.Variable; // [encDim, H]
  private readonly bridgeC?: tf.Variable; // [encDim, H]
  private readonly outW?: tf.Variable; // [H, trgV] (absent when tied)
  private readonly outB: tf.Variable; // [trgV]
  private readonly inputFeeding: boolean;
  private readonly samplingRng: Rng;

  constructor(
    readonly config: RunConfig,
    readonly srcVocabSize: number,
    readonly trgVocabSize: number,
    seed: number,
  ) {
    const { embedding_dim: E, hidden_size: H, num_layers: L } = config;
    assertModelConfig(config);
    assertTiedVocabularies(config, srcVocabSize, trgVocabSize);
    this.params = new Params(config, seed);
    this.samplingRng = Rng.derive(seed, 0x55);
    const p = this.params;
    this.srcEmbed = p.add('src_embed/weight', [srcVocabSize, E], 'embedding');
    // tied_embeddings (one joint vocabulary): one table for both sides, and with tied_softmax for the output too.
    this.trgEmbed = config.tied_embeddings ? this.srcEmbed : p.add('trg_embed/weight', [trgVocabSize, E], 'embedding');
    this.encoder = new RecurrentEncoder(p, config);
    const encDim = this.encoder.outputSize;
    this.inputFeeding = config.attention !== 'none' && config.input_feeding;
    for (let l = 0; l < L; l++) {
      const input = l === 0 ? E + (this.inputFeeding ? H : 0) : H;
      this.cells.push(makeCell(config.rnn_type, p, `decoder/layer${l}`, input, H));
    }
    if (config.attention !== 'none') {
      this.attention =
        config.attention === 'bahdanau'
          ? new BahdanauAttention(p, encDim, H)
          : new LuongAttention(p, encDim, H, config.luong_score);
      this.attLayer = p.add('decoder/att_vector_layer', [H + encDim, H]);
    }
    if (config.init_hidden === 'bridge') {
      this.bridgeH = p.add('decoder/bridge_h', [encDim, H]);
      if (config.rnn_type === 'lstm') this.bridgeC = p.add('decoder/bridge_c', [encDim, H]);
    }
    if (!config.tied_softmax) this.outW = p.add('decoder/output_layer/kernel', [H, trgVocabSize]);
    this.outB = p.add('decoder/output_layer/bias', [trgVocabSize], 'bias');
    this.variables = p.variables;
  }

  encode(src: tf.Tensor2D, training: boolean): EncoderOutput {
    const srcMask = tf.cast(tf.notEqual(src, PAD_ID), 'float32') as tf.Tensor2D; // [B, S]
    // [B, S, E]
    const emb = dropout(embed(this.srcEmbed, src), this.config.emb_dropout, training, this.params) as tf.Tensor3D;
    const { states, finals } = this.encoder.run(emb, srcMask, training);
    const extra: Record<string, tf.Tensor> = {};
    finals.forEach((f, l) => {
      extra[`final_h${l}`] = f.h;
      if (f.c) extra[`final_c${l}`] = f.c;
    });
    if (this.attention) {
      const prepared = this.attention.prepare(states, srcMask);
      extra.keys = prepared.keys;
      extra.key_bias = prepared.bias;
    }
    return { states, srcMask, extra };
  }

  initState(enc: EncoderOutput): DecoderState {
    const { hidden_size: H, num_layers: L, init_hidden } = this.config;
    const batch = enc.states.shape[0];
    const state: DecoderState = {};
    for (let l = 0; l < L; l++) {
      const fh = enc.extra[`final_h${l}`] as tf.Tensor2D;
      const fc = enc.extra[`final_c${l}`] as tf.Tensor2D | undefined;
      if (init_hidden === 'zero') {
        state[`h${l}`] = tf.zeros([batch, H]);
        if (fc) state[`c${l}`] = tf.zeros([batch, H]);
      } else if (init_hidden === 'last') {
        state[`h${l}`] = fh;
        if (fc) state[`c${l}`] = fc;
      } else {
        state[`h${l}`] = tf.tanh(tf.matMul(fh, this.bridgeH as tf.Variable));
        if (fc && this.bridgeC) state[`c${l}`] = tf.matMul(fc, this.bridgeC);
      }
    }
    if (this.inputFeeding) state.att = tf.zeros([batch, H]);
    return state;
  }

  step(prev: tf.Tensor1D, state: DecoderState, enc: EncoderOutput, training: boolean): StepOutput {
    // [B, E]
    const emb = dropout(embed(this.trgEmbed, prev), this.config.emb_dropout, training, this.params) as tf.Tensor2D;
    const { out, state: next, attention } = this.advance(emb, state, enc, training);
    return { logits: this.project(out, training) as tf.Tensor2D, state: next, attention };
  }

  /**
   * One decoder step from an embedded input; returns the pre-output vector [B, H].
   * `projected`: the first layer's input projection of `emb` when the caller computed it already.
   */
  private advance(
    emb: tf.Tensor2D,
    state: DecoderState,
    enc: EncoderOutput,
    training: boolean,
    projected?: tf.Tensor2D,
  ) {
    const next: DecoderState = {};
    let x: tf.Tensor2D = this.inputFeeding ? (tf.concat([emb, state.att as tf.Tensor2D], 1) as tf.Tensor2D) : emb;
    this.cells.forEach((cell, l) => {
      if (l > 0) x = dropout(x, this.config.dropout, training, this.params);
      const prev: RnnState = { h: state[`h${l}`] as tf.Tensor2D, c: state[`c${l}`] as tf.Tensor2D | undefined };
      const s = cell.step(l === 0 && projected ? projected : (cell.project(x) as tf.Tensor2D), prev);
      next[`h${l}`] = s.h;
      if (s.c) next[`c${l}`] = s.c;
      x = s.h;
    });
    if (!this.attention) return { out: x, state: next };
    const { context, weights } = this.attention.attend(
      x,
      { keys: enc.extra.keys as tf.Tensor3D, bias: enc.extra.key_bias as tf.Tensor2D },
      enc.states,
    );
    const att = tf.tanh(
      tf.matMul(tf.concat([x, context], 1) as tf.Tensor2D, this.attLayer as tf.Variable),
    ) as tf.Tensor2D; // [B, H]
    if (this.inputFeeding) next.att = att;
    return { out: att, state: next, attention: weights };
  }

  /** [..., H] → [..., trgV] */
  private project(h: tf.Tensor, training: boolean): tf.Tensor {
    const x = dropout(h, this.config.dropout, training, this.params);
    const w = this.outW ?? tf.transpose(this.trgEmbed);
    return linear(x, w, this.outB);
  }

  forward(src: tf.Tensor2D, trgIn: tf.Tensor2D, training: boolean, teacherForcingRatio = 1): ForwardOutput {
    const enc = this.encode(src, training);
    let state = this.initState(enc);
    const trgLen = trgIn.shape[1];
    // [B, T, E]
    const gold = dropout(embed(this.trgEmbed, trgIn), this.config.emb_dropout, training, this.params) as tf.Tensor3D;
    const sampling = training && teacherForcingRatio < 1;
    // Without attention or sampling each decoder layer can run its whole sequence in one kernel.
    const whole = !this.attention && !sampling ? this.runLayers(gold, state, training) : null;
    if (whole) return { logits: this.project(whole, training) as tf.Tensor3D }; // [B, T, V]
    const goldSteps = tf.unstack(gold, 1) as tf.Tensor2D[]; // T × [B, E]
    // Without input feeding or sampling every step's first-layer input is known up front: one
    // [B*T, E]·[E, gates*H] product instead of a small one per step (and two per step backwards).
    const projected =
      // T × [B, gates*H]
      this.inputFeeding || sampling ? null : (tf.unstack(this.cells[0].project(gold), 1) as tf.Tensor2D[]);
    const batch = trgIn.shape[0];
    const fed = sampling ? drawFedPredicted(this.samplingRng, batch, trgLen, teacherForcingRatio) : null;
    const goldIds = sampling ? (tf.unstack(trgIn, 1) as tf.Tensor1D[]) : []; // T × [B]
    const outs: tf.Tensor2D[] = [];
    const atts: tf.Tensor2D[] = [];
    let prevOut: tf.Tensor2D | null = null;
    for (let t = 0; t < trgLen; t++) {
      // Scheduled sampling (scheduled-sampling.ts): the sentences whose coin says so get the
      // model's own prediction from the previous step instead of the gold token.
      const column = fed && prevOut ? fedAt(fed, batch, trgLen, t) : null;
      let input = goldSteps[t];
      if (column && prevOut) {
        const last = prevOut;
        const predicted = withoutGradient(() => tf.argMax(this.project(last, false), 1) as tf.Tensor1D); // [B]
        const ids = mixIds(goldIds[t], predicted, column); // [B]
        // [B, E]
        input = dropout(embed(this.trgEmbed, ids), this.config.emb_dropout, training, this.params) as tf.Tensor2D;
      }
      const r = this.advance(input, state, enc, training, projected?.[t]);
      state = r.state;
      outs.push(r.out);
      prevOut = r.out;
      if (r.attention) atts.push(r.attention);
    }
    // One output projection for all steps: [B, T, H] · [H, V]
    const logits = this.project(tf.stack(outs, 1), training) as tf.Tensor3D;
    return { logits, attention: atts.length ? (tf.stack(atts, 1) as tf.Tensor3D) : undefined };
  }

  /**
   * Teacher-forced decoder layers as whole sequences (no attention, so nothing depends on the previous
   * output): gold [B, T, E] → top-layer outputs [B, T, H]; null where the backend has no sequence kernel.
   */
  private runLayers(gold: tf.Tensor3D, state: DecoderState, training: boolean): tf.Tensor3D | null {
    const [batch, len] = gold.shape;
    const all = tf.ones([batch, len]) as tf.Tensor2D; // the loss masks padding; the decoder state need not
    let x = gold;
    for (const [l, cell] of this.cells.entries()) {
      if (l > 0) x = dropout(x, this.config.dropout, training, this.params) as tf.Tensor3D;
      const prev: RnnState = { h: state[`h${l}`] as tf.Tensor2D, c: state[`c${l}`] as tf.Tensor2D | undefined };
      const r = cell.runSequence?.(cell.project(x) as tf.Tensor3D, prev, all, false);
      if (!r) return null; // (a backend has the kernel for every layer or for none)
      x = r.outputs;
    }
    return x;
  }

  dispose(): void {
    this.params.dispose();
  }
}
