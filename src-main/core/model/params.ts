import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { Rng } from '../rng.ts';

/**
 * The trainable parameters of one model, by stable name (the names in the
 * checkpoint's model.json). Initial values are drawn from the project's own
 * seeded generator in JS, not from a backend kernel, so the same seed gives
 * the same weights on every backend (wasm, cpu, native).
 */
export type Init = 'weight' | 'embedding' | 'zeros' | 'ones' | { values: Float32Array };

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

  /** fanIn/fanOut for xavier are the first and last dimension. */
  add(name: string, shape: number[], init: Init = 'weight'): tf.Variable {
    if (this.variables.has(name)) throw new Error(`duplicate parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (typeof init === 'object') values.set(init.values);
    else if (init === 'ones') values.fill(1);
    else if (init !== 'zeros') this.fill(values, shape, init);
    // tf variable names are global: suffix them; the stable name is the map key.
    const initial = tf.tensor(values, shape, 'float32');
    const v = tf.variable(initial, true, `${name}_${uniqueId++}`);
    initial.dispose(); // the variable holds its own reference to the data: without this every model leaked its initial values
    this.variables.set(name, v);
    return v;
  }

  /** A fresh seed for one dropout call (deterministic sequence per run). */
  dropoutSeed(): number {
    return this.dropoutRng.int(2 ** 31);
  }

  private fill(values: Float32Array, shape: number[], kind: 'weight' | 'embedding'): void {
    const { initializer, init_gain: gain } = this.config;
    const fanIn = shape[0];
    const fanOut = shape[shape.length - 1];
    if (initializer === 'normal') {
      for (let i = 0; i < values.length; i++) values[i] = gain * this.gaussian();
      return;
    }
    const limit =
      initializer === 'uniform' ? gain : kind === 'embedding' ? gain * Math.sqrt(3 / fanOut) : gain * Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < values.length; i++) values[i] = (2 * this.rng.next() - 1) * limit;
  }

  private gaussian(): number {
    const u = Math.max(this.rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng.next());
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
