import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src-main/core/tf/backend.ts';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';
import type { Seq2SeqModel } from '../src-main/core/model/types.ts';
import { Rng } from '../src-main/core/rng.ts';
import { TRG_V, VARIANTS, tinyModel } from './model-fixtures.ts';

/**
 * Gradient checks: for every parameter of every model variant (so every layer
 * type: embeddings, LSTM, GRU, bidirectional encoder, bridge, Bahdanau, Luong
 * general and dot, input feeding, tied output, Transformer attention, layer
 * norm and feed-forward, output layer), the analytic gradient from tf's
 * autodiff agrees with a central finite difference of the loss.
 *
 * float32 has ~7 digits, so single-coordinate differences drown in rounding.
 * Instead each check perturbs the whole tensor along a random ±1 direction d:
 * (L(w + εd) − L(w − εd)) / 2ε ≈ ∇L·d, a sum over every coordinate, which is
 * large next to the rounding error and still fails if any part of the
 * gradient is wrong.
 */
const SRC = [
  [4, 5, 6, 7, 8],
  [9, 10, 4, 0, 0],
];
const TRG_IN = [
  [1, 4, 5, 6],
  [1, 7, 8, 0],
];
const TRG_OUT = [
  [4, 5, 6, 2],
  [7, 8, 2, 0],
];
// Small enough that the ReLU kinks of the Transformer feed-forward are rarely crossed (1e-2 is not).
const EPS = 3e-3;

/** Mean token cross-entropy, ignoring padding (as training does). */
function loss(model: Seq2SeqModel): tf.Scalar {
  const src = tf.tensor2d(SRC, undefined, 'int32');
  const logits = model.forward(src, tf.tensor2d(TRG_IN, undefined, 'int32'), false).logits; // [B, T, V]
  const gold = tf.oneHot(tf.tensor2d(TRG_OUT, undefined, 'int32'), TRG_V); // [B, T, V]
  const mask = tf.cast(tf.notEqual(tf.tensor2d(TRG_OUT, undefined, 'int32'), 0), 'float32'); // [B, T]
  const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), gold), 2)); // [B, T]
  return tf.div(tf.sum(tf.mul(nll, mask)), tf.sum(mask));
}

interface Check {
  name: string;
  analytic: number;
  numeric: number;
}

function gradientChecks(model: Seq2SeqModel): Check[] {
  const vars = [...model.variables.entries()];
  const { grads } = tf.variableGrads(
    () => loss(model),
    vars.map(([, v]) => v),
  );
  const rng = new Rng(11);
  const checks: Check[] = [];
  for (const [name, v] of vars) {
    const dir = new Float32Array(v.size).map(() => (rng.next() < 0.5 ? -1 : 1));
    const original = tf.clone(v);
    const lossAt = (sign: number) =>
      tf.tidy(() => {
        v.assign(tf.add(original, tf.mul(tf.tensor(dir, v.shape), sign * EPS)));
        return loss(model).dataSync()[0];
      });
    const numeric = (lossAt(1) - lossAt(-1)) / (2 * EPS);
    v.assign(original);
    original.dispose();
    const analytic = tf.tidy(() => tf.sum(tf.mul(grads[v.name], tf.tensor(dir, v.shape))).dataSync()[0]);
    checks.push({ name, analytic, numeric });
  }
  tf.dispose(Object.values(grads));
  return checks;
}

// wasm-blas where the addon builds: its fused kernels (LSTM layers, layer norm, cross-entropy) have
// hand-written gradients.
const backends: BackendName[] = ['cpu', 'wasm', ...(loadBlas().addon ? (['wasm-blas'] as const) : [])];

afterAll(async () => {
  await initBackend('cpu');
});

describe.each(backends)('gradients on %s', (backend) => {
  it.each(Object.entries(VARIANTS))('%s: analytic = finite differences for every parameter', async (_name, over) => {
    expect((await initBackend(backend)).name).toBe(backend);
    const model = tinyModel(over);
    const checks = gradientChecks(model);
    model.dispose();
    expect(checks.length).toBeGreaterThan(5);
    const bad = checks.filter((c) => Math.abs(c.analytic - c.numeric) > 2e-2 * Math.abs(c.numeric) + 2e-3);
    expect(bad, JSON.stringify(bad)).toEqual([]);
    // Not vacuous: the gradients are not all ~0.
    expect(checks.some((c) => Math.abs(c.numeric) > 0.05)).toBe(true);
  });
});
