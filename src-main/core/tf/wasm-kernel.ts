import type * as tf from '@tensorflow/tfjs-core';

/** What the project's wasm kernels use of tfjs-backend-wasm's BackendWasm (not exported typed). */
export interface WasmBackend {
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId): boolean;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  /** Allocates on the wasm heap, which may grow and move it: take heap views after every makeOutput. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}
