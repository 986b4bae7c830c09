import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';
import { fastSlice } from '../wasm-slice.ts';

/** wasm's Unpack (tf.unstack) as in-place slices: tfjs's calls Slice once per output (wasm-slice.ts). */
export const unpackConfig: KernelSpec = {
  kernelName: 'Unpack',
  backendName: 'wasm',
  wraps: true,
  kernelFunc:
    ({ original }) =>
    (args) => {
      const value = args.inputs.value as tf.TensorInfo;
      if (value.dtype === 'string') return (original as tf.KernelFunc)(args);
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
    },
};
