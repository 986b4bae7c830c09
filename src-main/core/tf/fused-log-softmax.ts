import * as tf from '@tensorflow/tfjs-core';

/**
 * Row-wise log-softmax as one native kernel forward and one backward (native/blas.c), where the
 * addon is loaded (wasm-blas). The output layer's [batch*len, vocab] scores are the largest tensors of
 * a step; tf.logSoftmax passes over them ten times (max, sub, exp, sum, log, sub; then exp, sum, mul,
 * sub for the gradient), these once per direction. Declared in kernel-configs/log-softmax*.ts and
 * grad-configs/log-softmax.ts.
 */
export const LOG_SOFTMAX = 'WorkbenchLogSoftmax';
export const LOG_SOFTMAX_GRAD = 'WorkbenchLogSoftmaxGrad';

/** [rows, V] → [rows, V] log-probabilities where the backend has the kernel, else null. */
export function fusedLogSoftmax(logits: tf.Tensor2D): tf.Tensor2D | null {
  if (!tf.getKernel(LOG_SOFTMAX, tf.getBackend()) || logits.dtype !== 'float32') return null;
  return tf.engine().runKernel(LOG_SOFTMAX, { logits }, {}) as tf.Tensor2D;
}
