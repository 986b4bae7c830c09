import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * wasm's Slice kernel copies its WHOLE input out of the wasm heap
 * (`backend.readSync`) before taking the slice, and Unpack (tf.unstack) and
 * SplitV (tf.split) call it once per output. A recurrent layer unstacks its
 * [batch, len, 4·hidden] input projection and splits its gates at every step,
 * so time went quadratic in the sentence length: one 800 KB slice of a
 * [34, 200, 1024] tensor took 20-40 ms, unstacking it 320 ms, against 1.8 ms
 * for adding the whole tensor (scratch measurement, same process).
 * These kernels (kernel-configs/slice.ts, unpack.ts, split-v.ts) read the input
 * in place on the heap and copy only the selected contiguous runs.
 */
/** Copies x[begin : begin+size] into out; both are row-major flat arrays. */
function sliceInto(
  x: tf.backend_util.TypedArray,
  shape: number[],
  begin: number[],
  size: number[],
  out: tf.backend_util.TypedArray,
): void {
  const rank = shape.length;
  // Trailing dimensions taken whole form one contiguous run with the last partial dimension.
  let inner = 1;
  let d = rank - 1;
  while (d >= 0 && size[d] === shape[d]) inner *= shape[d--];
  if (d < 0) {
    out.set(x.subarray(0, inner));
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let k = rank - 2; k >= 0; k--) strides[k] = strides[k + 1] * shape[k + 1];
  const run = size[d] * inner;
  let count = 1;
  for (let k = 0; k < d; k++) count *= size[k];
  const idx = new Array<number>(d).fill(0);
  for (let n = 0, o = 0; n < count; n++, o += run) {
    let off = begin[d] * strides[d];
    for (let k = 0; k < d; k++) off += (begin[k] + idx[k]) * strides[k];
    out.set(x.subarray(off, off + run), o);
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < size[k]) break;
      idx[k] = 0;
    }
  }
}

/** x[begin : begin+size] as a new tensor on the wasm heap. */
export function fastSlice(x: tf.TensorInfo, begin: number[], size: number[], backend: WasmBackend): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  // Views taken after makeOutput: allocating may grow (and move) the heap.
  sliceInto(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}
