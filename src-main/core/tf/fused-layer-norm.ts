import * as tf from '@tensorflow/tfjs-core';

/**
 * Layer normalisation over the last dimension as one native kernel forward and one backward
 * (native/layer-norm.c), where the addon is loaded (wasm-blas). Op by op (tf.moments, sub, div, sqrt,
 * mul, add) it is ~25 kernels per call with their gradients, and Mean's gradient builds a ones array
 * of the input's size in JS; a real-data Transformer step calls it 19 times. Declared in
 * kernel-configs/layer-norm*.ts and grad-configs/layer-norm.ts.
 */
export const LAYER_NORM = 'WorkbenchLayerNorm';
export const LAYER_NORM_GRAD = 'WorkbenchLayerNormGrad';

/** x [..., d], gamma/beta [d] → normalised x where the backend has the kernel, else null. */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor | null {
  if (!tf.getKernel(LAYER_NORM, tf.getBackend()) || x.dtype !== 'float32') return null;
  return tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon }) as tf.Tensor;
}
