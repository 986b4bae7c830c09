import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import { PAD_ID } from '../text/vocab.ts';
import { dropout, embed, linear, Params } from './params.ts';
import { causalBias, FeedForward, LayerNorm, MultiHeadAttention, positionalEncoding } from './transformer-layers.ts';
import type { DecoderState, EncoderOutput, ForwardOutput, Seq2SeqModel, StepOutput } from './types.ts';

/**
 * A small Transformer encoder-decoder (Vaswani et al., 2017) with pre-layer
 * normalisation. Step-wise decoding keeps the whole target prefix in the
 * state and recomputes the decoder over it: O(T²) per sentence, but with no
 * per-layer cache to reorder, and sentences here are short (≤ 50 tokens).
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

  constructor(
    readonly config: RunConfig,
    readonly srcVocabSize: number,
    readonly trgVocabSize: number,
    seed: number,
  ) {
    const d = config.hidden_size;
    if (config.embedding_dim !== d) throw badInput(`transformer needs embedding_dim (${config.embedding_dim}) = hidden_size (${d})`, { field: 'embedding_dim' });
    if (d % config.num_heads !== 0) throw badInput(`hidden_size ${d} must be divisible by num_heads ${config.num_heads}`, { field: 'num_heads' });
    this.dim = d;
    const p = (this.params = new Params(config, seed));
    this.srcEmbed = p.add('src_embed/weight', [srcVocabSize, d], 'embedding');
    this.trgEmbed = p.add('trg_embed/weight', [trgVocabSize, d], 'embedding');
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
    this.outB = p.add('decoder/output_layer/bias', [trgVocabSize], 'zeros');
    this.variables = p.variables;
  }

  /** ids [B, L] → scaled embeddings + positions [B, L, d] */
  private embedWithPositions(table: tf.Variable, ids: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const len = ids.shape[1];
    const x = tf.add(tf.mul(embed(table, ids), Math.sqrt(this.dim)), positionalEncoding(len, this.dim));
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
      x = tf.add(x, dropout(layer.ff.apply(layer.ln2.apply(x), rate, training, this.params), rate, training, this.params)) as tf.Tensor3D;
    }
    return { states: this.encNorm.apply(x) as tf.Tensor3D, srcMask, extra: { src_bias: bias } };
  }

  /** trgIn [B, T] → pre-output states [B, T, d] and last layer's cross-attention [B, T, S] */
  private decode(trgIn: tf.Tensor2D, enc: EncoderOutput, training: boolean) {
    const rate = this.config.dropout;
    const len = trgIn.shape[1];
    const selfBias = causalBias(len);
    let x = this.embedWithPositions(this.trgEmbed, trgIn, training);
    let weights: tf.Tensor3D | undefined;
    for (const layer of this.decLayers) {
      const h = layer.ln1.apply(x) as tf.Tensor3D;
      x = tf.add(x, dropout(layer.self.apply(h, h, selfBias).out, rate, training, this.params)) as tf.Tensor3D;
      const cross = layer.cross.apply(layer.ln2.apply(x) as tf.Tensor3D, enc.states, enc.extra.src_bias);
      weights = cross.weights;
      x = tf.add(x, dropout(cross.out, rate, training, this.params)) as tf.Tensor3D;
      x = tf.add(x, dropout(layer.ff.apply(layer.ln3.apply(x), rate, training, this.params), rate, training, this.params)) as tf.Tensor3D;
    }
    return { out: this.decNorm.apply(x) as tf.Tensor3D, weights: weights as tf.Tensor3D };
  }

  private project(x: tf.Tensor): tf.Tensor {
    return linear(x, this.outW ?? tf.transpose(this.trgEmbed), this.outB);
  }

  initState(enc: EncoderOutput): DecoderState {
    return { prefix: tf.zeros([enc.states.shape[0], 0], 'int32') };
  }

  step(prev: tf.Tensor1D, state: DecoderState, enc: EncoderOutput, training: boolean): StepOutput {
    const prefix = tf.concat([state.prefix as tf.Tensor2D, tf.expandDims(tf.cast(prev, 'int32'), 1)], 1) as tf.Tensor2D; // [B, t]
    const { out, weights } = this.decode(prefix, enc, training);
    const t = prefix.shape[1];
    const last = tf.squeeze(tf.slice(out, [0, t - 1, 0], [-1, 1, -1]), [1]) as tf.Tensor2D; // [B, d]
    const attention = tf.squeeze(tf.slice(weights, [0, t - 1, 0], [-1, 1, -1]), [1]) as tf.Tensor2D; // [B, S]
    return { logits: this.project(last) as tf.Tensor2D, state: { prefix }, attention };
  }

  /** Teacher forcing only: the Transformer sees the whole gold prefix in parallel (the ratio is not used). */
  forward(src: tf.Tensor2D, trgIn: tf.Tensor2D, training: boolean): ForwardOutput {
    const enc = this.encode(src, training);
    const { out, weights } = this.decode(trgIn, enc, training);
    return { logits: this.project(dropout(out, this.config.dropout, training, this.params)) as tf.Tensor3D, attention: weights };
  }

  dispose(): void {
    this.params.dispose();
  }
}
