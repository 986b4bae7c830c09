import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { TRG_V, VARIANTS, tinyModel } from './model-fixtures.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

const pad = (rows: number[][]): tf.Tensor2D => {
  const width = Math.max(...rows.map((r) => r.length));
  return tf.tensor2d(
    rows.map((r) => [...r, ...new Array(width - r.length).fill(0)]),
    [rows.length, width],
    'int32',
  );
};

const SRC = [
  [4, 5, 6, 7, 8],
  [9, 10, 4],
  [5, 6],
];
const TRG_IN = [
  [1, 4, 5, 6],
  [1, 7, 8, 0],
  [1, 9, 0, 0],
];

describe.each(Object.entries(VARIANTS))('%s', (_name, over) => {
  it('forward, encode, initState and step return batch-first tensors of the documented shapes', () => {
    const model = tinyModel(over);
    const H = model.config.hidden_size;
    tf.tidy(() => {
      const src = pad(SRC);
      const out = model.forward(src, pad(TRG_IN), false);
      expect(out.logits.shape).toEqual([3, 4, TRG_V]);
      const hasAttention = model.config.model_type === 'transformer' || model.config.attention !== 'none';
      if (hasAttention) {
        expect(out.attention?.shape).toEqual([3, 4, 5]);
        // Attention never looks at padding, and each row is a distribution.
        const att = out.attention?.arraySync() as number[][][];
        for (const [b, row] of att.map((a, i) => [i, a] as const)) {
          for (const w of row) {
            expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
            for (let s = SRC[b].length; s < 5; s++) expect(w[s]).toBeLessThan(1e-6);
          }
        }
      } else expect(out.attention).toBeUndefined();

      const enc = model.encode(src, false);
      expect(enc.states.shape[0]).toBe(3);
      expect(enc.states.shape[1]).toBe(5);
      expect(enc.srcMask.arraySync()).toEqual(SRC.map((s) => [0, 1, 2, 3, 4].map((i) => (i < s.length ? 1 : 0))));
      const state = model.initState(enc);
      for (const t of Object.values(state)) expect(t.shape[0]).toBe(3);
      const step = model.step(tf.tensor1d([1, 1, 1], 'int32'), state, enc, false);
      expect(step.logits.shape).toEqual([3, TRG_V]);
      for (const t of Object.values(step.state)) expect(t.shape[0]).toBe(3);
      if (hasAttention) expect(step.attention?.shape).toEqual([3, 5]);
      if (model.config.model_type === 'recurrent') expect(state.h0.shape).toEqual([3, H]);
    });
    model.dispose();
  });

  it('step-wise decoding reproduces the teacher-forced forward pass', () => {
    const model = tinyModel(over);
    const [full, stepped] = tf.tidy(() => {
      const src = pad(SRC);
      const trg = pad(TRG_IN);
      const logits = model.forward(src, trg, false).logits;
      const enc = model.encode(src, false);
      let state = model.initState(enc);
      const steps: tf.Tensor2D[] = [];
      for (const col of tf.unstack(trg, 1) as tf.Tensor1D[]) {
        const s = model.step(col, state, enc, false);
        steps.push(s.logits);
        state = s.state;
      }
      return [logits.arraySync() as number[][][], (tf.stack(steps, 1) as tf.Tensor3D).arraySync()];
    });
    for (let b = 0; b < 3; b++) {
      for (let t = 0; t < 4; t++) {
        if (TRG_IN[b][t] === 0) continue;
        full[b][t].forEach((v, k) => expect(stepped[b][t][k]).toBeCloseTo(v, 4));
      }
    }
    model.dispose();
  });

  it('a padded batch gives the same encoder outputs, final states and logits as each sentence alone', () => {
    const model = tinyModel(over);
    tf.tidy(() => {
      const batchEnc = model.encode(pad(SRC), false);
      const batchLogits = model.forward(pad(SRC), pad(TRG_IN), false).logits.arraySync() as number[][][];
      const batchStates = batchEnc.states.arraySync() as number[][][];
      SRC.forEach((s, b) => {
        const alone = model.encode(pad([s]), false);
        const aloneStates = alone.states.arraySync() as number[][][];
        aloneStates[0].forEach((vec, t) => vec.forEach((v, k) => expect(batchStates[b][t][k]).toBeCloseTo(v, 5)));
        for (const [name, t] of Object.entries(alone.extra)) {
          if (name.startsWith('final_')) {
            const one = (t.arraySync() as number[][])[0];
            const inBatch = (batchEnc.extra[name].arraySync() as number[][])[b];
            one.forEach((v, k) => expect(inBatch[k]).toBeCloseTo(v, 5));
          }
        }
        const trgLen = TRG_IN[b].filter((x) => x !== 0).length;
        const aloneLogits = model
          .forward(pad([s]), pad([TRG_IN[b].slice(0, trgLen)]), false)
          .logits.arraySync() as number[][][];
        for (let t = 0; t < trgLen; t++)
          aloneLogits[0][t].forEach((v, k) => expect(batchLogits[b][t][k]).toBeCloseTo(v, 4));
      });
    });
    model.dispose();
  });

  it('building and disposing a model leaves no tensors behind', () => {
    tinyModel(over).dispose(); // one-time tensors (position tables, kernels)
    const before = tf.memory().numTensors;
    const model = tinyModel(over);
    expect(tf.memory().numTensors).toBe(before + model.variables.size);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the same seed gives the same weights; another seed different ones', () => {
    const a = tinyModel(over, 3);
    const b = tinyModel(over, 3);
    const c = tinyModel(over, 4);
    expect([...a.variables.keys()]).toEqual([...b.variables.keys()]);
    for (const [name, v] of a.variables)
      expect(Array.from(v.dataSync())).toEqual(Array.from(b.variables.get(name)?.dataSync() ?? []));
    const first = a.variables.get('src_embed/weight')?.dataSync();
    expect(Array.from(first ?? [])).not.toEqual(Array.from(c.variables.get('src_embed/weight')?.dataSync() ?? []));
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('recurrent model structure', () => {
  it(
    'the tutorial model is embedding → LSTM encoder → (h, ' + 'c) as the decoder start → LSTM decoder → linear output',
    () => {
      const model = tinyModel(VARIANTS['lstm (tutorial: no attention, init last)']);
      expect([...model.variables.keys()].sort()).toEqual(
        [
          'src_embed/weight',
          'trg_embed/weight',
          'encoder/layer0/fwd/kernel',
          'encoder/layer0/fwd/recurrent_kernel',
          'encoder/layer0/fwd/bias',
          'decoder/layer0/kernel',
          'decoder/layer0/recurrent_kernel',
          'decoder/layer0/bias',
          'decoder/output_layer/kernel',
          'decoder/output_layer/bias',
        ].sort(),
      );
      tf.tidy(() => {
        const enc = model.encode(pad([[4, 5, 6]]), false);
        const state = model.initState(enc);
        // init_hidden=last: the decoder starts from the encoder's final (h, c) as they are.
        expect(state.h0.arraySync()).toEqual(enc.extra.final_h0.arraySync());
        expect(state.c0.arraySync()).toEqual(enc.extra.final_c0.arraySync());
        // The final h is the encoder output at the last real token.
        const states = enc.states.arraySync() as number[][][];
        expect(states[0][2]).toEqual((enc.extra.final_h0.arraySync() as number[][])[0]);
      });
      model.dispose();
    },
  );

  it('a bidirectional encoder has twice the state size and a bridge to the decoder size', () => {
    const model = tinyModel({ bidirectional: true, init_hidden: 'bridge', attention: 'bahdanau' });
    expect(model.variables.get('decoder/bridge_h')?.shape).toEqual([12, 6]);
    tf.tidy(() => {
      const enc = model.encode(pad([[4, 5, 6]]), false);
      expect(enc.states.shape).toEqual([1, 3, 12]);
      expect(model.initState(enc).h0.shape).toEqual([1, 6]);
    });
    model.dispose();
  });

  it('tied softmax shares the target embedding with the output layer', () => {
    const tied = tinyModel({ tied_softmax: true });
    expect(tied.variables.has('decoder/output_layer/kernel')).toBe(false);
    tied.dispose();
  });

  it('rejects impossible combinations with the field named', () => {
    expect(() => tinyModel({ bidirectional: true, init_hidden: 'last' })).toThrow(/init_hidden/);
    expect(() => tinyModel({ tied_softmax: true, embedding_dim: 4 })).toThrow(/tied_softmax/);
    expect(() => tinyModel({ model_type: 'transformer', num_heads: 4, hidden_size: 6 })).toThrow(/num_heads/);
  });
});
