import * as tf from '@tensorflow/tfjs-core';
import { fusedLayerNorm } from '../tf/fused-layer-norm.ts';
import { dropout, linear, type Params } from './params.ts';

/** Building blocks of the Transformer (Vaswani et al., 2017), pre-norm as in JoeyNMT. */

export class LayerNorm {
  private static readonly EPSILON = 1e-6;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  constructor(params: Params, name: string, dim: number) {
    this.gamma = params.add(`${name}/gamma`, [dim], 'ones');
    this.beta = params.add(`${name}/beta`, [dim], 'zeros');
  }
  /** x [..., d] → [..., d]; one native kernel on wasm-blas (tf/fused-layer-norm.ts) */
  apply(x: tf.Tensor): tf.Tensor {
    const fused = fusedLayerNorm(x, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D, LayerNorm.EPSILON);
    if (fused) return fused;
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LayerNorm.EPSILON))), this.gamma), this.beta);
  }
}

export class MultiHeadAttention {
  private readonly wq: tf.Variable;
  private readonly wk: tf.Variable;
  private readonly wv: tf.Variable;
  private readonly wo: tf.Variable;
  constructor(
    params: Params,
    name: string,
    private readonly dim: number,
    private readonly heads: number,
  ) {
    this.wq = params.add(`${name}/q`, [dim, dim]);
    this.wk = params.add(`${name}/k`, [dim, dim]);
    this.wv = params.add(`${name}/v`, [dim, dim]);
    this.wo = params.add(`${name}/output`, [dim, dim]);
  }

  /**
   * query: [B, T, d]; memory: [B, S, d]; bias: additive mask broadcastable to [B, heads, T, S].
   * Returns the output [B, T, d] and the weights averaged over heads [B, T, S].
   */
  apply(query: tf.Tensor3D, memory: tf.Tensor3D, bias: tf.Tensor): { out: tf.Tensor3D; weights: tf.Tensor3D } {
    const { k, v } = this.keysValues(memory);
    return this.attend(query, k, v, bias);
  }

  /** memory [B, S, d] → keys and values split into heads, [B, heads, S, dk] each (cacheable). */
  keysValues(memory: tf.Tensor3D): { k: tf.Tensor4D; v: tf.Tensor4D } {
    const s = memory.shape[1];
    return { k: this.splitHeads(linear(memory, this.wk), s), v: this.splitHeads(linear(memory, this.wv), s) };
  }

  /** query [B, T, d] against keys/values [B, heads, S, dk] from keysValues. */
  attend(
    query: tf.Tensor3D,
    k: tf.Tensor4D,
    v: tf.Tensor4D,
    bias: tf.Tensor,
  ): { out: tf.Tensor3D; weights: tf.Tensor3D } {
    const [b, t] = query.shape;
    const dk = this.dim / this.heads;
    const q = this.splitHeads(linear(query, this.wq), t);
    const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk)), bias); // [B, h, T, S]
    const weights = tf.softmax(scores);
    const ctx = tf.reshape(tf.transpose(tf.matMul(weights as tf.Tensor4D, v), [0, 2, 1, 3]), [b, t, this.dim]);
    return { out: linear(ctx, this.wo) as tf.Tensor3D, weights: tf.mean(weights, 1) as tf.Tensor3D };
  }

  /** [B, len, d] → [B, heads, len, dk] */
  private splitHeads(x: tf.Tensor, len: number): tf.Tensor4D {
    return tf.transpose(
      tf.reshape(x, [x.shape[0], len, this.heads, this.dim / this.heads]),
      [0, 2, 1, 3],
    ) as tf.Tensor4D;
  }
}

export class FeedForward {
  private readonly w1: tf.Variable;
  private readonly b1: tf.Variable;
  private readonly w2: tf.Variable;
  private readonly b2: tf.Variable;
  constructor(params: Params, name: string, dim: number, ff: number) {
    this.w1 = params.add(`${name}/w1`, [dim, ff]);
    this.b1 = params.add(`${name}/b1`, [ff], 'bias');
    this.w2 = params.add(`${name}/w2`, [ff, dim]);
    this.b2 = params.add(`${name}/b2`, [dim], 'bias');
  }
  apply(x: tf.Tensor, rate: number, training: boolean, params: Params): tf.Tensor {
    return linear(dropout(tf.relu(linear(x, this.w1, this.b1)), rate, training, params), this.w2, this.b2);
  }
}

/** [len, dim] sinusoidal position encodings (section 3.5) of positions start .. start+len-1. */
export function positionalEncoding(len: number, dim: number, start = 0): tf.Tensor2D {
  const values = new Float32Array(len * dim);
  for (let pos = 0; pos < len; pos++) {
    for (let i = 0; i < dim; i += 2) {
      const angle = (start + pos) / 10000 ** (i / dim);
      values[pos * dim + i] = Math.sin(angle);
      if (i + 1 < dim) values[pos * dim + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [len, dim]);
}

/** [1, 1, T, T] additive mask that hides future positions. */
export function causalBias(len: number): tf.Tensor4D {
  const values = new Float32Array(len * len);
  for (let i = 0; i < len; i++) for (let j = i + 1; j < len; j++) values[i * len + j] = -1e9;
  return tf.tensor4d(values, [1, 1, len, len]);
}
