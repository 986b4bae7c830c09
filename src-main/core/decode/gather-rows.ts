import * as tf from '@tensorflow/tfjs-core';

/**
 * Selects rows (axis 0) of a batch-first tensor: out[i] = t[rows[i]].
 *
 * The search reorders the decoder state by parent row at every step and
 * re-gathers the encoder outputs whenever a sentence finishes. On the cpu and
 * wasm backends tf.gather computes an index per element and is slow for large
 * rows: 72 ms for [200, 35, 256] on wasm against 10 ms for copying whole rows
 * in JS (scratch measurement, same process), which made batched greedy decoding
 * slower than one sentence at a time. There the rows are copied as contiguous
 * blocks; other backends (native, GPU) keep tf.gather and their data on device.
 */
export function gatherRows<T extends tf.Tensor>(t: T, rows: readonly number[]): T {
  const backend = tf.getBackend();
  if (backend !== 'cpu' && backend !== 'wasm')
    return tf.tidy(() => tf.gather(t, tf.tensor1d(rows as number[], 'int32'))) as T;
  const [batch, ...inner] = t.shape;
  const size = inner.reduce((a, b) => a * b, 1);
  const src = t.dataSync() as Float32Array | Int32Array;
  const out = src instanceof Int32Array ? new Int32Array(rows.length * size) : new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r < 0 || r >= batch) throw new RangeError(`row ${r} outside a batch of ${batch}`);
    // Runs of consecutive rows are one block copy (the common case: finished sentences removed).
    let run = 1;
    while (i + run < rows.length && rows[i + run] === r + run) run++;
    out.set(src.subarray(r * size, (r + run) * size), i * size);
    i += run - 1;
  }
  return tf.tensor(out, [rows.length, ...inner], t.dtype) as T;
}
