import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * Row-wise log-softmax as one native kernel forward and one backward (native/blas.c), where the
 * addon is loaded (wasm-blas). The output layer's [batch*len, vocab] scores are the largest tensors of
 * a step; tf.logSoftmax passes over them ten times (max, sub, exp, sum, log, sub; then exp, sum, mul,
 * sub for the gradient), these once per direction.
 */
const LOG_SOFTMAX = 'WorkbenchLogSoftmax';
const LOG_SOFTMAX_GRAD = 'WorkbenchLogSoftmaxGrad';

/** [rows, V] → [rows, V] log-probabilities where the backend has the kernel, else null. */
export function fusedLogSoftmax(logits: tf.Tensor2D): tf.Tensor2D | null {
  if (!tf.getKernel(LOG_SOFTMAX, tf.getBackend()) || logits.dtype !== 'float32') return null;
  return tf.engine().runKernel(LOG_SOFTMAX, { logits }, {}) as tf.Tensor2D;
}

export function registerFusedLogSoftmax(blas: BlasAddon): void {
  const { logSoftmax, logSoftmaxGrad } = blas;
  if (!logSoftmax || !logSoftmaxGrad || tf.getKernel(LOG_SOFTMAX, 'wasm')) return;
  const heap = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  tf.registerKernel({
    kernelName: LOG_SOFTMAX,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { logits } = inputs as { logits: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(logits.shape, 'float32');
      logSoftmax.call(blas, heap(wasm, logits), heap(wasm, out), logits.shape[1]); // views after allocating
      return out;
    },
  });
  tf.registerKernel({
    kernelName: LOG_SOFTMAX_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(y.shape, 'float32');
      logSoftmaxGrad.call(blas, heap(wasm, dy), heap(wasm, y), heap(wasm, out), y.shape[1]);
      return out;
    },
  });
  tf.registerGradient({
    kernelName: LOG_SOFTMAX,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({
      logits: () => tf.engine().runKernel(LOG_SOFTMAX_GRAD, { dy: dy as tf.Tensor, y: saved[0] }, {}) as tf.Tensor,
    }),
  });
}
