import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { Rng } from '../rng.ts';
import { fillInitial, type InitSpec } from './initializers.ts';

/**
 * The trainable parameters of one model, by stable name (the names in the
 * checkpoint's model.json). Initial values are drawn from the project's own
 * seeded generator in JS, not from a backend kernel, so the same seed gives
 * the same weights on every backend (wasm, cpu, native).
 *
 * A parameter's role picks its initializer from the config (JoeyNMT's keys):
 *  - 'weight': initializer / init_gain / init_weight;
 *  - 'embedding': embed_initializer / embed_init_gain / embed_init_weight;
 *  - 'bias': bias_initializer / init_gain / bias_init_weight;
 *  - 'zeros', 'ones', or given values: fixed (layer norm, tests).
 */
export type Init = 'weight' | 'embedding' | 'bias' | 'zeros' | 'ones' | { values: Float32Array };

export interface InitOptions {
  /** gate blocks side by side in the last dimension (RNN kernels and biases): Xavier and orthogonal treat each alone */
  gates?: number;
  /** an RNN's hidden-to-hidden kernel: orthogonal when init_rnn_orthogonal */
  recurrent?: boolean;
  /** an LSTM bias [4H] (gates i f g o): the forget gate [H, 2H) starts at lstm_forget_gate unless that is null */
  lstmForgetGate?: boolean;
}

let uniqueId = 0;

export class Params {
  readonly variables = new Map<string, tf.Variable>();
  private readonly rng: Rng;
  private dropoutRng: Rng;

  constructor(
    private readonly config: RunConfig,
    seed: number,
  ) {
    this.rng = Rng.derive(seed, 0x1417);
    this.dropoutRng = Rng.derive(seed, 0xd0);
  }

  add(name: string, shape: number[], init: Init = 'weight', opts: InitOptions = {}): tf.Variable {
    if (this.variables.has(name)) throw new Error(`duplicate parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (typeof init === 'object') values.set(init.values);
    else if (init === 'ones') values.fill(1);
    else if (init !== 'zeros') fillInitial(values, shape, this.spec(init, shape, opts), this.rng, opts.gates ?? 1);
    const forget = this.config.lstm_forget_gate;
    if (opts.lstmForgetGate && forget !== null) values.fill(forget, size / 4, size / 2);
    // tf variable names are global: suffix them; the stable name is the map key.
    const initial = tf.tensor(values, shape, 'float32');
    const v = tf.variable(initial, true, `${name}_${uniqueId++}`);
    // the variable holds its own reference to the data: without this every model leaked its initial values
    initial.dispose();
    this.variables.set(name, v);
    return v;
  }

  /** A fresh seed for one dropout call (deterministic sequence per run). */
  dropoutSeed(): number {
    return this.dropoutRng.int(2 ** 31);
  }

  /** The configured initializer of a role. */
  private spec(role: 'weight' | 'embedding' | 'bias', shape: number[], opts: InitOptions): InitSpec {
    const c = this.config;
    if (role === 'embedding') {
      // null: variance 1/dim (uniform ±sqrt(3/dim), normal std 1/sqrt(dim)), whatever the table's size
      const dim = shape[shape.length - 1];
      const weight =
        c.embed_init_weight ?? (c.embed_initializer === 'normal' ? 1 / Math.sqrt(dim) : Math.sqrt(3 / dim));
      return { scheme: c.embed_initializer, gain: c.embed_init_gain, weight };
    }
    if (role === 'bias') return { scheme: c.bias_initializer, gain: c.init_gain, weight: c.bias_init_weight };
    if (opts.recurrent && c.init_rnn_orthogonal) return { scheme: 'orthogonal', gain: 1, weight: c.init_weight };
    return { scheme: c.initializer, gain: c.init_gain, weight: c.init_weight };
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/** Dropout that is a no-op outside training or at rate 0. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, training: boolean, params: Params): T {
  if (!training || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, params.dropoutSeed()) as T;
}

/** x: [..., in] · w: [in, out] (+ b) → [..., out], for any rank of x. */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inDim]);
  let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, w as tf.Tensor2D);
  if (b) y = tf.add(y, b);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w.shape[1] as number]);
}

/** ids: [batch, len] int32 → [batch, len, dim] */
export function embed(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  return tf.gather(table, ids);
}
