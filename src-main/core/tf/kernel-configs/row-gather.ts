import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/**
 * wasm's Gather walks element by element; an embedding lookup (rows of a matrix) is a row copy each.
 * Gather along axis 0 without batch dims: x [N, ...row], indices [...] → [...indices, ...row].
 */
export const rowGatherConfig: KernelSpec = {
  kernelName: 'GatherV2',
  backendName: 'wasm',
  wraps: true,
  kernelFunc:
    ({ original }) =>
    (args) => {
      const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
      if (axis !== 0 || batchDims !== 0 || x.dtype === 'string' || x.shape.length === 0)
        return (original as tf.KernelFunc)(args);
      const backend = args.backend as unknown as WasmBackend;
      const [rows, ...rowShape] = x.shape;
      const width = rowShape.reduce((p, d) => p * d, 1);
      const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
      // Views taken after makeOutput: allocating may grow (and move) the heap.
      const ids = backend.typedArrayFromHeap(indices);
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(out);
      for (let i = 0; i < ids.length; i++) {
        const row = ids[i];
        if (!(row >= 0 && row < rows)) {
          backend.disposeData(out.dataId);
          throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
        }
        dst.set(src.subarray(row * width, (row + 1) * width), i * width);
      }
      return out;
    },
};
