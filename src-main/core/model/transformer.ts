import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { assertModelConfig, assertTiedVocabularies } from './config-rules.ts';
import { PAD_ID } from '../text/vocab.ts';
import { Rng } from '../rng.ts';
import { dropout, embed, linear, Params } from './params.ts';
import { causalBias, FeedForward, LayerNorm, MultiHeadAttention, positionalEncoding } from './transformer-layers.ts';
import { drawFedPredicted, mixIds, withoutGradient } from './scheduled-sampling.ts';
import type { DecoderState, EncoderOutput, ForwardOutput, Seq2SeqModel, StepOutput } from './types.ts';

/**
 * A small Transformer encoder-decoder (Vaswani et al., 2017) with pre-layer
 * normalisation. Step-wise decoding caches, per decoder layer, the
 * self-attention keys and values of the positions already decoded (state
 * `k{l}`/`v{l}`: [batch, heads, t, dk], batch-first so the search reorders them
 * like any state), and the encoder computes the cross-attention keys and values
 * once (extra `src_k{l}`/`src_v{l}`): a step costs one position, not the whole prefix.
 */
export class TransformerModel implements Seq2SeqModel {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly params: Params;
  private readonly srcEmbed: tf.Variable;
  private readonly trgEmbed: tf.Variable;
  private readonly encLayers: Array<{ ln1: LayerNorm; att: MultiHeadAttention; ln2: LayerNorm; ff: FeedForward }> = [];
  private readonly decLayers: Array<{
    ln1: LayerNorm;
    self: MultiHeadAttention;
    ln2: LayerNorm;
    cross: MultiHeadAttention;
    ln3: LayerNorm;
    ff: FeedForward;
  }> = [];
  private readonly encNorm: LayerNorm;
  private readonly decNorm: LayerNorm;
  private readonly outW?: tf.Variable;
  private readonly outB: tf.Variable;
  private readonly dim: number;
  private readonly samplingRng: Rng;

  constructor(
    readonly config: RunConfig,
    readonly srcVocabSize: number,
    readonly trgVocabSize: number,
    seed: number,
  ) {
    const d = config.hidden_size;
    assertModelConfig(config);
    assertTiedVocabularies(config, srcVocabSize, trgVocabSize);
    this.dim = d;
    this.samplingRng = Rng.derive(seed, 0x55);
    const p = (this.params = new Params(config, seed));
    this.srcEmbed = p.add('src_embed/weight', [srcVocabSize, d], 'embedding'); // [srcV, d]
    // tied_embeddings (one joint vocabulary): the target side reads the source table; with tied_softmax the
    // output layer too, so one [V, d] matrix serves all three (Press & Wolf, 2017).
    this.trgEmbed = config.tied_embeddings ? this.srcEmbed : p.add('trg_embed/weight', [trgVocabSize, d], 'embedding');
    for (let l = 0; l < config.num_layers; l++) {
      const n = `encoder/layer${l}`;
      this.encLayers.push({
        ln1: new LayerNorm(p, `${n}/ln1`, d),
        att: new MultiHeadAttention(p, `${n}/self_att`, d, config.num_heads),
        ln2: new LayerNorm(p, `${n}/ln2`, d),
        ff: new FeedForward(p, `${n}/ff`, d, config.ff_size),
      });
    }
    for (let l = 0; l < config.num_layers; l++) {
      const n = `decoder/layer${l}`;
      this.decLayers.push({
        ln1: new LayerNorm(p, `${n}/ln1`, d),
        self: new MultiHeadAttention(p, `${n}/self_att`, d, config.num_heads),
        ln2: new LayerNorm(p, `${n}/ln2`, d),
        cross: new MultiHeadAttention(p, `${n}/src_att`, d, config.num_heads),
        ln3: new LayerNorm(p, `${n}/ln3`, d),
        ff: new FeedForward(p, `${n}/ff`, d, config.ff_size),
      });
    }
    this.encNorm = new LayerNorm(p, 'encoder/layer_norm', d);
    this.decNorm = new LayerNorm(p, 'decoder/layer_norm', d);
    if (!config.tied_softmax) this.outW = p.add('decoder/output_layer/kernel', [d, trgVocabSize]);
    this.outB = p.add('decoder/output_layer/bias', [trgVocabSize], 'bias');
    this.variables = p.variables;
  }

  /** ids [B, L] → scaled embeddings + positions start.. [B, L, d] */
  private embedWithPositions(table: tf.Variable, ids: tf.Tensor2D, training: boolean, start = 0): tf.Tensor3D {
    const len = ids.shape[1];
    const x = tf.add(tf.mul(embed(table, ids), Math.sqrt(this.dim)), positionalEncoding(len, this.dim, start));
    return dropout(x, this.config.emb_dropout || this.config.dropout, training, this.params) as tf.Tensor3D;
  }

  encode(src: tf.Tensor2D, training: boolean): EncoderOutput {
    const srcMask = tf.cast(tf.notEqual(src, PAD_ID), 'float32') as tf.Tensor2D; // [B, S]
    const bias = tf.reshape(tf.mul(tf.sub(1, srcMask), -1e9), [src.shape[0], 1, 1, src.shape[1]]); // [B, 1, 1, S]
    const rate = this.config.dropout;
    let x = this.embedWithPositions(this.srcEmbed, src, training);
    for (const layer of this.encLayers) {
      const h = layer.ln1.apply(x) as tf.Tensor3D;
      x = tf.add(x, dropout(layer.att.apply(h, h, bias).out, rate, training, this.params)) as tf.Tensor3D;
      x = tf.add(
        x,
        dropout(layer.ff.apply(layer.ln2.apply(x), rate, training, this.params), rate, training, this.params),
      ) as tf.Tensor3D;
    }
    const states = this.encNorm.apply(x) as tf.Tensor3D;
    const extra: Record<string, tf.Tensor> = { src_bias: bias };
    this.decLayers.forEach((layer, l) => {
      const { k, v } = layer.cross.keysValues(states); // [B, heads, S, dk]
      extra[`src_k${l}`] = k;
      extra[`src_v${l}`] = v;
    });
    return { states, srcMask, extra };
  }

  /** trgIn [B, T] → pre-output states [B, T, d] and last layer's cross-attention [B, T, S] */
  private decode(trgIn: tf.Tensor2D, enc: EncoderOutput, training: boolean) {
    const rate = this.config.dropout;
    const len = trgIn.shape[1];
    const selfBias = causalBias(len);
    let x = this.embedWithPositions(this.trgEmbed, trgIn, training);
    let weights: tf.Tensor3D | undefined;
    for (const [l, layer] of this.decLayers.entries()) {
      const h = layer.ln1.apply(x) as tf.Tensor3D;
      x = tf.add(x, dropout(layer.self.apply(h, h, selfBias).out, rate, training, this.params)) as tf.Tensor3D;
      const cross = layer.cross.attend(
        layer.ln2.apply(x) as tf.Tensor3D,
        enc.extra[`src_k${l}`] as tf.Tensor4D,
        enc.extra[`src_v${l}`] as tf.Tensor4D,
        enc.extra.src_bias,
      );
      weights = cross.weights;
      x = tf.add(x, dropout(cross.out, rate, training, this.params)) as tf.Tensor3D;
      x = tf.add(
        x,
        dropout(layer.ff.apply(layer.ln3.apply(x), rate, training, this.params), rate, training, this.params),
      ) as tf.Tensor3D;
    }
    return { out: this.decNorm.apply(x) as tf.Tensor3D, weights: weights as tf.Tensor3D };
  }

  private project(x: tf.Tensor): tf.Tensor {
    return linear(x, this.outW ?? tf.transpose(this.trgEmbed), this.outB);
  }

  /** No cache yet: the first step starts at position 0. */
  initState(): DecoderState {
    return {};
  }

  step(prev: tf.Tensor1D, state: DecoderState, enc: EncoderOutput, training: boolean): StepOutput {
    const rate = this.config.dropout;
    const b = prev.shape[0];
    const t = state.k0 ? state.k0.shape[2] : 0; // positions already decoded
    // [B, 1, d]
    let x = this.embedWithPositions(this.trgEmbed, tf.reshape(tf.cast(prev, 'int32'), [b, 1]), training, t);
    const next: DecoderState = {};
    let weights: tf.Tensor3D | undefined;
    this.decLayers.forEach((layer, l) => {
      const h = layer.ln1.apply(x) as tf.Tensor3D;
      const kv = layer.self.keysValues(h); // [B, heads, 1, dk]
      // The new position attends to itself and every earlier one: no causal mask needed.
      const k = (next[`k${l}`] = t ? tf.concat([state[`k${l}`], kv.k], 2) : kv.k) as tf.Tensor4D;
      const v = (next[`v${l}`] = t ? tf.concat([state[`v${l}`], kv.v], 2) : kv.v) as tf.Tensor4D;
      x = tf.add(x, dropout(layer.self.attend(h, k, v, tf.scalar(0)).out, rate, training, this.params)) as tf.Tensor3D;
      const cross = layer.cross.attend(
        layer.ln2.apply(x) as tf.Tensor3D,
        enc.extra[`src_k${l}`] as tf.Tensor4D,
        enc.extra[`src_v${l}`] as tf.Tensor4D,
        enc.extra.src_bias,
      );
      weights = cross.weights; // [B, 1, S]
      x = tf.add(x, dropout(cross.out, rate, training, this.params)) as tf.Tensor3D;
      x = tf.add(
        x,
        dropout(layer.ff.apply(layer.ln3.apply(x), rate, training, this.params), rate, training, this.params),
      ) as tf.Tensor3D;
    });
    const out = tf.reshape(this.decNorm.apply(x), [b, this.dim]); // [B, d]
    const logits = this.project(dropout(out, rate, training, this.params)) as tf.Tensor2D;
    return { logits, state: next, attention: tf.reshape(weights as tf.Tensor3D, [b, -1]) as tf.Tensor2D };
  }

  /**
   * Teacher forcing: the decoder sees the whole gold prefix in parallel. With teacherForcingRatio < 1
   * in training, two-pass scheduled sampling (scheduled-sampling.ts): a teacher-forced pass without
   * gradient and dropout predicts every position, then the decoder runs, with gradient, on the gold
   * inputs with some tokens replaced by the prediction made one position earlier.
   */
  forward(src: tf.Tensor2D, trgIn: tf.Tensor2D, training: boolean, teacherForcingRatio = 1): ForwardOutput {
    const enc = this.encode(src, training);
    let inputs = trgIn; // [B, T]
    if (training && teacherForcingRatio < 1) {
      const [batch, len] = trgIn.shape;
      const predicted = withoutGradient(
        () => tf.argMax(this.project(this.decode(trgIn, enc, false).out), 2) as tf.Tensor2D,
      ); // [B, T]
      // Position t is fed the prediction made at t - 1 (position 0, <sos>, stays gold).
      const previous = tf.concat(
        [tf.slice(trgIn, [0, 0], [batch, 1]), tf.slice(predicted, [0, 0], [batch, len - 1])],
        1,
      ) as tf.Tensor2D;
      inputs = mixIds(trgIn, previous, drawFedPredicted(this.samplingRng, batch, len, teacherForcingRatio));
    }
    const { out, weights } = this.decode(inputs, enc, training);
    return {
      logits: this.project(dropout(out, this.config.dropout, training, this.params)) as tf.Tensor3D,
      attention: weights,
    };
  }

  dispose(): void {
    this.params.dispose();
  }
}
