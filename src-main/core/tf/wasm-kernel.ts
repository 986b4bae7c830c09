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

/** A float32 tensor's data as a view of the wasm heap (take it after the last makeOutput). */
export function f32(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}
