import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * wasm's Slice kernel copies its WHOLE input out of the wasm heap
 * (`backend.readSync`) before taking the slice, and Unpack (tf.unstack) and
 * SplitV (tf.split) call it once per output. A recurrent layer unstacks its
 * [batch, len, 4·hidden] input projection and splits its gates at every step,
 * so time went quadratic in the sentence length: one 800 KB slice of a
 * [34, 200, 1024] tensor took 20-40 ms, unstacking it 320 ms, against 1.8 ms
 * for adding the whole tensor (scratch measurement, same process).
 * These kernels read the input in place on the heap and copy only the
 * selected contiguous runs.
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

function fastSlice(x: tf.TensorInfo, begin: number[], size: number[], backend: WasmBackend): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  // Views taken after makeOutput: allocating may grow (and move) the heap.
  sliceInto(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

export function registerWasmSlice(): void {
  const originals = ['Slice', 'Unpack', 'SplitV'].map((name) => tf.getKernel(name, 'wasm'));
  if (originals.some((k) => !k)) return;
  const [slice, unpack, splitV] = originals as tf.KernelConfig[];
  const replace = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  };

  replace('Slice', (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return slice.kernelFunc(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return fastSlice(x, b, s, args.backend as WasmBackend);
  });

  replace('Unpack', (args) => {
    const value = args.inputs.value as tf.TensorInfo;
    if (value.dtype === 'string') return unpack.kernelFunc(args);
    const rank = value.shape.length;
    const axis = ((args.attrs as { axis: number }).axis + rank) % rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      begin[axis] = i;
      const out = fastSlice(value, begin, size, args.backend as WasmBackend);
      return { dataId: out.dataId, dtype: out.dtype, shape: outShape };
    });
  });

  replace('SplitV', (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return splitV.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[ax] = s;
      const out = fastSlice(x, begin, size, args.backend as WasmBackend);
      begin[ax] += s;
      return out;
    });
  });
}
