import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSpec } from '../kernel-spec.ts';
import type { WasmBackend } from '../wasm-kernel.ts';

/**
 * wasm's Identity copies its input. The engine clones every tensor a gradient saves (~600 per LSTM train
 * step), so it shares the buffer, as the cpu backend does (no wasm kernel writes into its inputs); so does
 * a Cast to the same dtype.
 */
export function sharedBuffer(kernelName: 'Identity' | 'Cast'): KernelSpec {
  return {
    kernelName,
    backendName: 'wasm',
    wraps: true,
    kernelFunc:
      ({ original }) =>
      (args) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype ?? x.dtype;
        if (dtype !== x.dtype || x.dtype === 'string') return (original as tf.KernelFunc)(args);
        (args.backend as unknown as WasmBackend).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
  };
}
