import * as tf from '@tensorflow/tfjs-core';

/** What the project's wasm kernels use of tfjs-backend-wasm's BackendWasm (not exported typed). */
export interface WasmBackend {
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId): boolean;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  /** Allocates on the wasm heap, which may grow and move it: take heap views after every makeOutput. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}

/**
 * Replaces a registered kernel of `backendName`, handing the replacement the original to fall back
 * on for the cases it does not take. False (and nothing changed) where there is no such kernel.
 */
export function replaceKernel(
  kernelName: string,
  backendName: string,
  make: (original: tf.KernelFunc) => tf.KernelFunc,
): boolean {
  const original = tf.getKernel(kernelName, backendName);
  if (!original) return false;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc: make(original.kernelFunc) });
  return true;
}
