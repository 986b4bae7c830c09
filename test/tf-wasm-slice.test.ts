import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { Rng } from '../src-main/core/rng.ts';

/** The wasm Slice/Unpack/SplitV replacements (tf/wasm-slice.ts) give what the cpu backend gives. */
const rng = new Rng(5);
const cases = Array.from({ length: 40 }, () => {
  const rank = 1 + rng.int(4);
  const shape = Array.from({ length: rank }, () => 1 + rng.int(5));
  const begin = shape.map((s) => rng.int(s));
  const size = shape.map((s, i) => (rng.next() < 0.3 ? -1 : 1 + rng.int(s - begin[i])));
  const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(1000));
  return { shape, begin, size, values, axis: rng.int(rank) };
});

async function run(backend: 'cpu' | 'wasm') {
  await initBackend(backend);
  return cases.map((c) =>
    tf.tidy(() => {
      const x = tf.tensor(c.values, c.shape, c.values.length % 2 ? 'int32' : 'float32');
      return {
        slice: tf.slice(x, c.begin, c.size).arraySync(),
        unstack: tf.unstack(x, c.axis).map((t) => t.arraySync()),
        split: tf
          .split(
            x,
            [1, c.shape[c.axis] - 1].filter((s) => s > 0),
            c.axis,
          )
          .map((t) => t.arraySync()),
        dtype: tf.slice(x, c.begin, c.size).dtype,
      };
    }),
  );
}

describe('wasm slice kernels', () => {
  it('slice, unstack and split agree with the cpu backend on random shapes, offsets and dtypes', async () => {
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm).toEqual(cpu);
    await initBackend('cpu');
  });
});
