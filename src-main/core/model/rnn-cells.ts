import * as tf from '@tensorflow/tfjs-core';
import { fusedLstmSequence, fusedLstmStep } from '../tf/fused-lstm.ts';
import type { Params } from './params.ts';

/**
 * LSTM (Hochreiter & Schmidhuber, 1997) and GRU (Cho et al., 2014) cells.
 * The input projection is separate from the recurrence so a layer can project
 * all time steps in one big matmul ([batch*len, in] · [in, gates*hidden]) and
 * only the small recurrent matmul runs per step.
 */
export interface RnnState {
  h: tf.Tensor2D; // [batch, hidden]
  c?: tf.Tensor2D; // [batch, hidden] (LSTM only)
}

export interface RnnCell {
  readonly hidden: number;
  readonly hasCell: boolean;
  /** x: [..., in] → [..., gates*hidden] */
  project(x: tf.Tensor): tf.Tensor;
  /** xProj: [batch, gates*hidden] (from project) */
  step(xProj: tf.Tensor2D, state: RnnState): RnnState;
  /**
   * The whole sequence in one kernel where the backend has one, else null (the caller steps):
   * proj [batch, len, gates*hidden], mask [batch, len] 1/0 (a padded step keeps the state) →
   * outputs [batch, len, hidden] and the final state.
   */
  runSequence?(
    proj: tf.Tensor3D,
    state: RnnState,
    mask: tf.Tensor2D,
    reverse: boolean,
  ): { outputs: tf.Tensor3D; final: RnnState } | null;
}

export function makeCell(type: 'lstm' | 'gru', params: Params, name: string, input: number, hidden: number): RnnCell {
  return type === 'lstm' ? new LstmCell(params, name, input, hidden) : new GruCell(params, name, input, hidden);
}

class LstmCell implements RnnCell {
  readonly hasCell = true;
  private readonly kernel: tf.Variable; // [in, 4H]  gates i, f, g, o
  private readonly recurrent: tf.Variable; // [H, 4H]
  private readonly bias: tf.Variable; // [4H]

  constructor(
    params: Params,
    name: string,
    input: number,
    readonly hidden: number,
  ) {
    this.kernel = params.add(`${name}/kernel`, [input, 4 * hidden], 'weight', { gates: 4 });
    this.recurrent = params.add(`${name}/recurrent_kernel`, [hidden, 4 * hidden], 'weight', {
      gates: 4,
      recurrent: true,
    });
    // The forget gate's bias from lstm_forget_gate (Jozefowicz et al., 2015), the rest from bias_initializer.
    this.bias = params.add(`${name}/bias`, [4 * hidden], 'bias', { gates: 4, lstmForgetGate: true });
  }

  project(x: tf.Tensor): tf.Tensor {
    const inDim = x.shape[x.shape.length - 1];
    const y = tf.add(tf.matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, this.kernel), this.bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), 4 * this.hidden]);
  }

  step(xProj: tf.Tensor2D, state: RnnState): RnnState {
    const gates = tf.add(xProj, tf.matMul(state.h, this.recurrent)); // [B, 4H]
    const fused = fusedLstmStep(gates as tf.Tensor2D, state.c as tf.Tensor2D); // one kernel where the backend has it
    if (fused) return fused;
    const [i, f, g, o] = tf.split(gates, 4, 1);
    const c = tf.add(tf.mul(tf.sigmoid(f), state.c as tf.Tensor2D), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
    const h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D;
    return { h, c };
  }

  runSequence(proj: tf.Tensor3D, state: RnnState, mask: tf.Tensor2D, reverse: boolean) {
    const r = fusedLstmSequence(proj, this.recurrent as tf.Tensor2D, state.h, state.c as tf.Tensor2D, mask, reverse);
    return r && { outputs: r.outputs, final: { h: r.h, c: r.c } };
  }
}

class GruCell implements RnnCell {
  readonly hasCell = false;
  private readonly kernel: tf.Variable; // [in, 3H]  gates r, z, n
  private readonly recurrent: tf.Variable; // [H, 3H]
  private readonly bias: tf.Variable; // [3H]
  private readonly recurrentBias: tf.Variable; // [3H] (the n gate needs its own: r * (U h + b))

  constructor(
    params: Params,
    name: string,
    input: number,
    readonly hidden: number,
  ) {
    this.kernel = params.add(`${name}/kernel`, [input, 3 * hidden], 'weight', { gates: 3 });
    this.recurrent = params.add(`${name}/recurrent_kernel`, [hidden, 3 * hidden], 'weight', {
      gates: 3,
      recurrent: true,
    });
    this.bias = params.add(`${name}/bias`, [3 * hidden], 'bias', { gates: 3 });
    this.recurrentBias = params.add(`${name}/recurrent_bias`, [3 * hidden], 'bias', { gates: 3 });
  }

  project(x: tf.Tensor): tf.Tensor {
    const inDim = x.shape[x.shape.length - 1];
    const y = tf.add(tf.matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, this.kernel), this.bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), 3 * this.hidden]);
  }

  step(xProj: tf.Tensor2D, state: RnnState): RnnState {
    const hProj = tf.add(tf.matMul(state.h, this.recurrent), this.recurrentBias); // [B, 3H]
    const [xr, xz, xn] = tf.split(xProj, 3, 1);
    const [hr, hz, hn] = tf.split(hProj, 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    const h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, state.h)) as tf.Tensor2D;
    return { h };
  }
}

/** Keeps the old state where mask is 0 (padding): [B,1] mask broadcast over hidden. */
export function maskState(next: RnnState, prev: RnnState, mask: tf.Tensor2D): RnnState {
  const keep = (n: tf.Tensor2D, p: tf.Tensor2D) => tf.add(tf.mul(n, mask), tf.mul(p, tf.sub(1, mask))) as tf.Tensor2D;
  return { h: keep(next.h, prev.h), c: next.c && prev.c ? keep(next.c, prev.c) : undefined };
}
