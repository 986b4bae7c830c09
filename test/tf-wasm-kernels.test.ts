import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src-main/core/tf/backend.ts';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';
import { Rng } from '../src-main/core/rng.ts';
import { Adam } from '../src-main/core/train/optimizers.ts';

/**
 * The kernels the project replaces on wasm (tf/kernels.ts: shared Identity and Cast, row Gather;
 * tf/native-blas.ts: vectorised Exp and Tanh, Sum through BLAS) give what the cpu backend gives,
 * at sizes above the thresholds where the replacements take over.
 */
const rng = new Rng(11);
const values = (n: number, scale = 4) => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * scale);
const matrix = values(300 * 170); // [300, 170]: 51k elements, above every threshold
const ids = Int32Array.from({ length: 64 * 9 }, () => rng.int(300));

function probe() {
  return tf.tidy(() => {
    const x = tf.tensor2d(matrix, [300, 170]);
    const x3 = tf.reshape(x, [30, 10, 170]);
    const round = (t: tf.Tensor) => Array.from(t.dataSync());
    return {
      tanh: round(tf.tanh(x)),
      exp: round(tf.exp(x)),
      sumLeading: round(tf.sum(x3, [0, 1])),
      sumTrailing: round(tf.sum(x3, [1, 2])),
      sumTrailingKeep: { shape: tf.sum(x3, -1, true).shape, values: round(tf.sum(x3, -1, true)) },
      sumAll: round(tf.sum(x)),
      gather: { shape: tf.gather(x, tf.tensor2d(ids, [64, 9], 'int32')).shape, values: round(tf.gather(x, tf.tensor2d(ids, [64, 9], 'int32'))) },
      gatherInt: Array.from(tf.gather(tf.cast(x3, 'int32'), tf.tensor1d([29, 0, 3], 'int32')).dataSync()),
      cast: Array.from(tf.cast(tf.cast(x, 'int32'), 'float32').dataSync().slice(0, 50)),
    };
  });
}

/** Three Adam updates (weight decay on) of a [300, 170] parameter: the parameter and both moments. */
function adamProbe() {
  const param = tf.variable(tf.tensor2d(matrix, [300, 170]), true, 'w');
  const adam = new Adam({ betas: [0.9, 0.98], weightDecay: 0.01 });
  for (let step = 1; step <= 3; step++) {
    const grad = tf.tidy(() => tf.mul(tf.sin(tf.mul(param, step)), 0.1));
    adam.apply(new Map([['w', param]]), { w: grad }, 1e-2);
    grad.dispose();
  }
  const { slots } = adam.state();
  const out = { param: Array.from(param.dataSync()), m: Array.from(slots['m/w'].dataSync()), v: Array.from(slots['v/w'].dataSync()) };
  adam.dispose();
  param.dispose();
  return out;
}

type Probe = ReturnType<typeof probe> | ReturnType<typeof adamProbe>;

/** Equal shapes and integers; floats within float32 rounding (sums of 51k values run in another order). */
function expectClose(actual: Probe, expected: Probe): void {
  const flat = (p: Probe) => JSON.stringify(p, (_, v: unknown) => (typeof v === 'number' ? 0 : v));
  expect(flat(actual)).toBe(flat(expected));
  const nums = (p: Probe): number[] => JSON.stringify(p).match(/-?[\d.]+(e-?\d+)?/g)?.map(Number) ?? [];
  const [a, e] = [nums(actual), nums(expected)];
  expect(a.length).toBe(e.length);
  const worst = a.reduce((w, v, i) => Math.max(w, Math.abs(v - e[i]) / Math.max(1, Math.abs(e[i]))), 0);
  expect(worst).toBeLessThan(1e-4); // a wrong axis or row gives O(1) errors
}

async function on<T>(backend: BackendName, what: () => T): Promise<T> {
  const info = await initBackend(backend);
  expect(info.name).toBe(backend);
  return what();
}

describe('wasm kernel replacements', () => {
  it('agree with the cpu backend (tanh, exp, sums over leading/trailing/all axes, row gather, cast)', async () => {
    const cpu = await on('cpu', probe);
    expectClose(await on('wasm', probe), cpu);
    if (loadBlas().addon) expectClose(await on('wasm-blas', probe), cpu);
    await initBackend('cpu');
  });

  it.runIf(loadBlas().addon)('the one-pass Adam update (wasm-blas) matches Adam op by op (cpu), weight decay included', async () => {
    const cpu = await on('cpu', adamProbe);
    expect(tf.getKernel('WorkbenchFusedAdam', 'cpu')).toBeUndefined(); // cpu runs the ops
    const fused = await on('wasm-blas', adamProbe);
    expect(tf.getKernel('WorkbenchFusedAdam', 'wasm')).toBeDefined();
    expectClose(fused, cpu);
    await initBackend('cpu');
  });

  it('a shared Identity keeps tensors independent: a clone outlives its source, a variable assign leaves clones alone', async () => {
    await initBackend('wasm');
    const before = tf.memory().numBytes;
    const a = tf.tensor1d([1, 2, 3]);
    const b = a.clone();
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    const v = tf.variable(b);
    const snapshot = v.clone();
    const next = tf.tensor1d([7, 8, 9]);
    v.assign(next);
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([b, v, snapshot, next]);
    expect(tf.memory().numBytes).toBe(before); // shared buffers are freed with their last tensor
    await initBackend('cpu');
  });

  it('a row gather with an index out of range fails with the index and the range', async () => {
    await initBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const bad = tf.tensor1d([0, 5], 'int32');
    const live = tf.memory().numTensors;
    expect(() => tf.gather(x, bad)).toThrow(/index value 5 is not in \[0, 1\]/);
    expect(tf.memory().numTensors).toBe(live);
    tf.dispose([x, bad]);
    await initBackend('cpu');
  });
});
