import * as tf from '@tensorflow/tfjs-core';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';
import { fastSlice } from '../wasm-slice.ts';

/** wasm's Slice without copying its whole input off the heap first (wasm-slice.ts says why). */
export const sliceConfig: KernelSpec = {
  kernelName: 'Slice',
  backendName: 'wasm',
  wraps: true,
  kernelFunc:
    ({ original }) =>
    (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return (original as tf.KernelFunc)(args);
      const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
      const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
      return fastSlice(x, b, s, args.backend as WasmBackend);
    },
};
