import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src-main/core/tf/backend.ts';
import { sumSquares } from '../src-main/core/tf/kernel-configs/sum-squares.ts';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';
import { Rng } from '../src-main/core/rng.ts';
import { sequenceCrossEntropy } from '../src-main/core/train/loss.ts';
import { Adam } from '../src-main/core/train/optimizers.ts';
import { buildRunConfig } from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { Params } from '../src-main/core/model/params.ts';
import { makeCell } from '../src-main/core/model/rnn-cells.ts';
import { LayerNorm } from '../src-main/core/model/transformer-layers.ts';
import { BahdanauAttention } from '../src-main/core/model/attention.ts';

/**
 * The kernels the project replaces on wasm (tf/kernel-configs/index.ts: shared Identity and Cast, row
 * Gather; on wasm-blas vectorised Exp and Tanh, Sum through BLAS) give what the cpu backend gives,
 * at sizes above the thresholds where the replacements take over.
 */
const rng = new Rng(11);
const values = (n: number, scale = 4) => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * scale);
const matrix = values(300 * 170); // [300, 170]: 51k elements, above every threshold
const ids = Int32Array.from({ length: 64 * 9 }, () => rng.int(300));
const lossWeights = [values(30 * 64, 1), values(30 * 64, 1)]; // drawn once: every backend sees the same

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
      sumSquares: round(sumSquares(x)), // gradient clipping's norm: one native pass on wasm-blas
      // 30 products of [10, 170]·[170, 10]: small one by one, worth BLAS as a batch (attention's shape)
      batchedMatMul: round(tf.matMul(x3, x3, false, true)),
      gather: {
        shape: tf.gather(x, tf.tensor2d(ids, [64, 9], 'int32')).shape,
        values: round(tf.gather(x, tf.tensor2d(ids, [64, 9], 'int32'))),
      },
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
  const out = {
    param: Array.from(param.dataSync()),
    m: Array.from(slots['m/w'].dataSync()),
    v: Array.from(slots['v/w'].dataSync()),
  };
  adam.dispose();
  param.dispose();
  return out;
}

/**
 * One LSTM cell step through the model's cell (fused on wasm-blas, composed ops on cpu): its outputs
 * and the gradients of a loss over h and c (and over h alone, where c's gradient arrives as null).
 */
function lstmProbe() {
  return tf.tidy(() => {
    const params = new Params(buildRunConfig({ preset: 'tutorial', overrides: { dataset: 'probe' } }), 3);
    const cell = makeCell('lstm', params, 'cell', 170, 64);
    const x = tf.tensor2d(matrix.subarray(0, 30 * 170), [30, 170]);
    const h0 = tf.tensor2d(matrix.subarray(0, 30 * 64), [30, 64]);
    const c0 = tf.tensor2d(matrix.subarray(30 * 64, 60 * 64), [30, 64]);
    const [wh, wc] = lossWeights.map((w) => tf.tensor2d(w, [30, 64]));
    const step = (xp: tf.Tensor, c: tf.Tensor) => cell.step(xp as tf.Tensor2D, { h: h0, c: c as tf.Tensor2D });
    const both = tf.grads((xp: tf.Tensor, c: tf.Tensor) => {
      const s = step(xp, c);
      return tf.add(tf.sum(tf.mul(s.h, wh)), tf.sum(tf.mul(s.c as tf.Tensor, wc)));
    });
    const hOnly = tf.grads((xp: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(step(xp, c).h, wh)));
    const xp = cell.project(x);
    const out = step(xp, c0);
    const flat = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
    const result = {
      h: flat([out.h]),
      c: flat([out.c as tf.Tensor]),
      both: flat(both([xp, c0])),
      hOnly: flat(hOnly([xp, c0])),
    };
    params.dispose();
    return result;
  });
}

/**
 * The training loss and its gradient over [3, 100, 170] logits, with label smoothing (every
 * log-probability counts) and without, the NLL trained too (both outputs of the fused kernel).
 */
function lossProbe() {
  return tf.tidy(() => {
    const logits = tf.mul(tf.tensor3d(matrix.subarray(0, 3 * 100 * 170), [3, 100, 170]), 3);
    const targets = tf.tensor2d(
      Int32Array.from(ids.subarray(0, 300), (id, i) => (i % 37 === 0 ? 0 : id % 170)),
      [3, 100],
      'int32',
    );
    const smoothed = tf.valueAndGrads((l: tf.Tensor) => sequenceCrossEntropy(l as tf.Tensor3D, targets, 0.1).sum)([
      logits,
    ]);
    const both = tf.valueAndGrads((l: tf.Tensor) => {
      const r = sequenceCrossEntropy(l as tf.Tensor3D, targets, 0.2);
      return tf.add(r.sum, tf.mul(r.nll, 0.5));
    })([logits]);
    const plain = tf.valueAndGrads((l: tf.Tensor) => sequenceCrossEntropy(l as tf.Tensor3D, targets, 0).nll)([logits]);
    const out = (r: { value: tf.Tensor; grads: tf.Tensor[] }) => ({
      loss: Array.from(r.value.dataSync()),
      grad: Array.from(r.grads[0].dataSync()),
    });
    return { smoothed: out(smoothed), both: out(both), plain: out(plain) };
  });
}

/** Layer normalisation over the last axis of [30, 10, 170] and the gradients of a weighted sum of it. */
function layerNormProbe() {
  return tf.tidy(() => {
    const params = new Params(buildRunConfig({ preset: 'tutorial', overrides: { dataset: 'probe' } }), 3);
    const norm = new LayerNorm(params, 'ln', 170);
    const [gamma, beta] = [...params.variables.values()];
    gamma.assign(tf.add(1, tf.tensor1d(matrix.subarray(0, 170)))); // not the identity: every term counts
    beta.assign(tf.tensor1d(matrix.subarray(170, 340)));
    const x = tf.tensor3d(matrix.subarray(0, 30 * 10 * 170), [30, 10, 170]);
    const w = tf.reverse(x, 0); // weights unlike x

    const y = norm.apply(x);
    const weighted = (xs: tf.Tensor) => tf.sum(tf.mul(norm.apply(xs), w)) as tf.Scalar;
    const { value, grads } = tf.variableGrads(() => weighted(x), [gamma, beta]);
    const dx = tf.grad(weighted)(x);
    const result = {
      y: Array.from(y.dataSync()),
      loss: Array.from(value.dataSync()),
      grads: [dx, grads[gamma.name], grads[beta.name]].map((g) => Array.from(g.dataSync())),
    };
    params.dispose();
    return result;
  });
}

/**
 * One Bahdanau attention step over [30, 9, 64] keys and [30, 9, 50] states with padding masked: context,
 * weights, and the gradients of a loss over both with respect to the query, keys, energy layer and states.
 */
function attentionProbe() {
  return tf.tidy(() => {
    const params = new Params(buildRunConfig({ preset: 'tutorial', overrides: { dataset: 'probe' } }), 3);
    const attention = new BahdanauAttention(params, 50, 64);
    const [wKey, wQuery, v] = [...params.variables.values()];
    const states = tf.tensor3d(matrix.subarray(0, 30 * 9 * 50), [30, 9, 50]);
    const lengths = Array.from({ length: 30 }, (_, b) => 1 + (b % 9));
    const mask = tf.tensor2d(
      lengths.flatMap((l) => Array.from({ length: 9 }, (_, s) => (s < l ? 1 : 0))),
      [30, 9],
    );
    const query = tf.tensor2d(matrix.subarray(5000, 5000 + 30 * 64), [30, 64]);
    const [wc, ww] = [
      tf.tensor2d(matrix.subarray(9000, 9000 + 30 * 50), [30, 50]),
      tf.tensor2d(matrix.subarray(100, 370), [30, 9]),
    ];
    const loss = (q: tf.Tensor, st: tf.Tensor) => {
      const r = attention.attend(q as tf.Tensor2D, attention.prepare(st as tf.Tensor3D, mask), st as tf.Tensor3D);
      return tf.add(tf.sum(tf.mul(r.context, wc)), tf.sum(tf.mul(r.weights, ww))) as tf.Scalar;
    };
    const r = attention.attend(query, attention.prepare(states, mask), states);
    const inputs = tf.grads(loss)([query, states]);
    const { grads } = tf.variableGrads(() => loss(query, states), [wKey, wQuery, v]);
    const flat = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
    const result = {
      out: flat([r.context, r.weights]),
      inputs: flat(inputs),
      weights: flat([wKey, wQuery, v].map((w) => grads[w.name])),
    };
    params.dispose();
    return result;
  });
}

/**
 * A 2-layer LSTM seq2seq with a bidirectional encoder and no attention (every layer a whole-sequence
 * kernel on wasm-blas), on a batch with padding on both sides: loss and every parameter's gradient.
 */
function seq2seqProbe() {
  const config = buildRunConfig({
    preset: 'tatoeba-lstm',
    overrides: {
      dataset: 'probe',
      hidden_size: 24,
      embedding_dim: 16,
      num_layers: 2,
      bidirectional: true,
      init_hidden: 'bridge',
      attention: 'none',
      dropout: 0,
    },
  });
  const model = buildModel(config, 40, 50, 5);
  const lengths = [7, 3, 5, 1];
  const row = (len: number, vocab: number, salt: number) =>
    Array.from({ length: 7 }, (_, t) => (t < len ? 4 + ((t * 13 + salt * 7) % (vocab - 4)) : 0));
  const out = tf.tidy(() => {
    const src = tf.tensor2d(
      lengths.flatMap((l, b) => row(l, 40, b)),
      [4, 7],
      'int32',
    );
    const trgIn = tf.tensor2d(
      lengths.flatMap((l, b) => row(Math.max(1, l - 1), 50, b + 9)),
      [4, 7],
      'int32',
    );
    const trgOut = tf.tensor2d(
      lengths.flatMap((l, b) => row(Math.max(1, l - 1), 50, b + 3)),
      [4, 7],
      'int32',
    );
    const vars = [...model.variables.entries()].sort(([a], [b]) => a.localeCompare(b));
    const { value, grads } = tf.variableGrads(
      () => sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut).sum,
      vars.map(([, v]) => v),
    );
    return { loss: Array.from(value.dataSync()), grads: vars.map(([, v]) => Array.from(grads[v.name].dataSync())) };
  });
  model.dispose();
  return out;
}

type Probe =
  | ReturnType<typeof probe>
  | ReturnType<typeof adamProbe>
  | ReturnType<typeof lstmProbe>
  | ReturnType<typeof lossProbe>
  | ReturnType<typeof layerNormProbe>
  | ReturnType<typeof attentionProbe>
  | ReturnType<typeof seq2seqProbe>;

/** Equal shapes and integers; floats within float32 rounding (sums of 51k values run in another order). */
function expectClose(actual: Probe, expected: Probe): void {
  const flat = (p: Probe) => JSON.stringify(p, (_, v: unknown) => (typeof v === 'number' ? 0 : v));
  expect(flat(actual)).toBe(flat(expected));
  const nums = (p: Probe): number[] =>
    JSON.stringify(p)
      .match(/-?[\d.]+(e-?\d+)?/g)
      ?.map(Number) ?? [];
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
  it('agree with the cpu backend (tanh, exp, sums, sum of squares, batched matmul, row gather, cast)', async () => {
    const cpu = await on('cpu', probe);
    expectClose(await on('wasm', probe), cpu);
    if (loadBlas().addon) {
      expectClose(await on('wasm-blas', probe), cpu);
      // The native sum of squares accumulates in double: exact to float rounding, every element counted.
      const v = Float32Array.from({ length: 5000 }, (_, i) => ((i * 37) % 11) - 5 + i / 5000);
      const exact = v.reduce((acc, x) => acc + x * x, 0);
      expect(Math.abs(tf.tidy(() => sumSquares(tf.tensor1d(v)).dataSync()[0]) - exact) / exact).toBeLessThan(1e-6);
    }
    await initBackend('cpu');
  });

  it.runIf(loadBlas().addon)(
    'the one-pass Adam update (wasm-blas) matches Adam op by op (cpu), weight decay included',
    async () => {
      const cpu = await on('cpu', adamProbe);
      expect(tf.getKernel('WorkbenchFusedAdam', 'cpu')).toBeUndefined(); // cpu runs the ops
      const fused = await on('wasm-blas', adamProbe);
      expect(tf.getKernel('WorkbenchFusedAdam', 'wasm')).toBeDefined();
      expectClose(fused, cpu);
      await initBackend('cpu');
    },
  );

  it.runIf(loadBlas().addon)(
    "the fused LSTM cell (wasm-blas) gives the composed cell's outputs and gradients (cpu)",
    async () => {
      const cpu = await on('cpu', lstmProbe);
      const live = tf.memory().numTensors;
      const fused = await on('wasm-blas', lstmProbe);
      expect(tf.getKernel('WorkbenchLstmCell', 'wasm')).toBeDefined();
      expectClose(fused, cpu);
      expect(tf.memory().numTensors).toBe(live); // nothing left behind by the fused kernels or their gradient
      await initBackend('cpu');
    },
  );

  it.runIf(loadBlas().addon)(
    'the fused cross-entropy (wasm-blas) gives the loss and gradients of tf.logSoftmax (cpu)',
    async () => {
      const cpu = await on('cpu', lossProbe);
      const live = tf.memory().numTensors;
      const fused = await on('wasm-blas', lossProbe);
      expect(tf.getKernel('WorkbenchCrossEntropy', 'wasm')).toBeDefined();
      expectClose(fused, cpu);
      expect(tf.memory().numTensors).toBe(live);
      await initBackend('cpu');
    },
  );

  it.runIf(loadBlas().addon)(
    "the fused Bahdanau step (wasm-blas) gives the composed one's outputs and gradients (cpu)",
    async () => {
      const cpu = await on('cpu', attentionProbe);
      const live = tf.memory().numTensors;
      const fused = await on('wasm-blas', attentionProbe);
      expect(tf.getKernel('WorkbenchBahdanauAttend', 'wasm')).toBeDefined();
      expectClose(fused, cpu);
      expect(tf.memory().numTensors).toBe(live);
      await initBackend('cpu');
    },
  );

  it.runIf(loadBlas().addon)(
    "the fused layer norm (wasm-blas) gives the composed one's output and gradients (cpu)",
    async () => {
      const cpu = await on('cpu', layerNormProbe);
      const live = tf.memory().numTensors;
      const fused = await on('wasm-blas', layerNormProbe);
      expect(tf.getKernel('WorkbenchLayerNorm', 'wasm')).toBeDefined();
      expectClose(fused, cpu);
      expect(tf.memory().numTensors).toBe(live);
      await initBackend('cpu');
    },
  );

  it.runIf(loadBlas().addon)(
    "whole-sequence LSTM layers (wasm-blas) give the stepped model's loss and gradients (cpu), padding included",
    async () => {
      const cpu = await on('cpu', seq2seqProbe);
      const live = tf.memory().numTensors;
      const fused = await on('wasm-blas', seq2seqProbe);
      expect(tf.getKernel('WorkbenchLstmSequence', 'wasm')).toBeDefined();
      expectClose(fused, cpu);
      expect(tf.memory().numTensors).toBe(live);
      await initBackend('cpu');
    },
  );

  it(
    'a shared Identity keeps tensors independent: a clone ' +
      'outlives its source, a variable assign leaves clones alone',
    async () => {
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
    },
  );

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
