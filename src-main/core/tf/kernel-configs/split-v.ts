import * as tf from '@tensorflow/tfjs-core';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';
import { fastSlice } from '../wasm-slice.ts';

/** wasm's SplitV (tf.split) as in-place slices: tfjs's calls Slice once per output (wasm-slice.ts). */
export const splitVConfig: KernelSpec = {
  kernelName: 'SplitV',
  backendName: 'wasm',
  wraps: true,
  kernelFunc:
    ({ original }) =>
    (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return (original as tf.KernelFunc)(args);
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
    },
};
