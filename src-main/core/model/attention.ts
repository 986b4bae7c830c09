import * as tf from '@tensorflow/tfjs-core';
import { fusedBahdanauAttend } from '../tf/fused-attention.ts';
import type { Params } from './params.ts';

/**
 * Attention over the encoder states for the recurrent decoder.
 * Bahdanau et al. (2015), additive: score(q, k) = vᵀ tanh(W_k k + W_q q).
 * Luong et al. (2015), multiplicative: general qᵀ W k, or dot qᵀ k.
 * Everything that depends only on the keys is computed once per sentence
 * (`prepare`), so a decoding step costs one small matmul per sentence.
 */
export interface PreparedKeys {
  /** [batch, srcLen, att] keys after the key-side projection */
  keys: tf.Tensor3D;
  /** [batch, srcLen] additive mask: 0 for real tokens, -1e9 for padding */
  bias: tf.Tensor2D;
}

export interface Attention {
  prepare(states: tf.Tensor3D, srcMask: tf.Tensor2D): PreparedKeys;
  /** query: [batch, H] → context [batch, encDim], weights [batch, srcLen] */
  attend(
    query: tf.Tensor2D,
    prepared: PreparedKeys,
    states: tf.Tensor3D,
  ): { context: tf.Tensor2D; weights: tf.Tensor2D };
}

export function maskBias(srcMask: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.sub(1, srcMask), -1e9) as tf.Tensor2D;
}

function weightedSum(weights: tf.Tensor2D, states: tf.Tensor3D): tf.Tensor2D {
  // [batch, 1, srcLen] · [batch, srcLen, encDim] → [batch, encDim]
  return tf.squeeze(tf.matMul(tf.expandDims(weights, 1), states), [1]) as tf.Tensor2D;
}

export class BahdanauAttention implements Attention {
  private readonly wKey: tf.Variable; // [encDim, H]
  private readonly wQuery: tf.Variable; // [H, H]
  private readonly v: tf.Variable; // [H, 1]

  constructor(params: Params, encDim: number, hidden: number) {
    this.wKey = params.add('decoder/attention/key_layer', [encDim, hidden]);
    this.wQuery = params.add('decoder/attention/query_layer', [hidden, hidden]);
    this.v = params.add('decoder/attention/energy_layer', [hidden, 1]);
  }

  prepare(states: tf.Tensor3D, srcMask: tf.Tensor2D): PreparedKeys {
    const [b, s, e] = states.shape;
    const keys = tf.reshape(tf.matMul(tf.reshape(states, [b * s, e]) as tf.Tensor2D, this.wKey), [
      b,
      s,
      -1,
    ]) as tf.Tensor3D;
    return { keys, bias: maskBias(srcMask) };
  }

  attend(query: tf.Tensor2D, p: PreparedKeys, states: tf.Tensor3D) {
    const [b, s, h] = p.keys.shape;
    const projected = tf.matMul(query, this.wQuery) as tf.Tensor2D; // [batch, H]
    // wasm-blas: the rest of the step in one kernel that keeps no [batch, srcLen, H] energy (tf/fused-attention.ts).
    const fused = fusedBahdanauAttend({
      q: projected,
      keys: p.keys,
      v: tf.reshape(this.v, [h]) as tf.Tensor1D,
      bias: p.bias,
      states,
    });
    if (fused) return fused;
    const q = tf.expandDims(projected, 1); // [batch, 1, H]
    const energy = tf.tanh(tf.add(p.keys, q)); // [batch, srcLen, H]
    // [batch, srcLen]
    const scores = tf.reshape(tf.matMul(tf.reshape(energy, [b * s, h]) as tf.Tensor2D, this.v), [b, s]);
    const weights = tf.softmax(tf.add(scores, p.bias)) as tf.Tensor2D;
    return { context: weightedSum(weights, states), weights };
  }
}

export class LuongAttention implements Attention {
  private readonly w?: tf.Variable; // [encDim, H] (general)

  constructor(params: Params, encDim: number, hidden: number, score: 'general' | 'dot') {
    if (score === 'general') this.w = params.add('decoder/attention/key_layer', [encDim, hidden]);
    else if (encDim !== hidden) {
      throw new Error(
        `luong_score=dot needs encoder states (${encDim}) and decoder hidden (${hidden}) of one size; use general`,
      );
    }
  }

  prepare(states: tf.Tensor3D, srcMask: tf.Tensor2D): PreparedKeys {
    const [b, s, e] = states.shape;
    const keys = this.w
      ? (tf.reshape(tf.matMul(tf.reshape(states, [b * s, e]) as tf.Tensor2D, this.w), [b, s, -1]) as tf.Tensor3D)
      : states;
    return { keys, bias: maskBias(srcMask) };
  }

  attend(query: tf.Tensor2D, p: PreparedKeys, states: tf.Tensor3D) {
    // [batch, srcLen, H] · [batch, H, 1] → [batch, srcLen]
    const scores = tf.squeeze(tf.matMul(p.keys, tf.expandDims(query, 2)), [2]) as tf.Tensor2D;
    const weights = tf.softmax(tf.add(scores, p.bias)) as tf.Tensor2D;
    return { context: weightedSum(weights, states), weights };
  }
}
