import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * Layer normalisation over the last dimension as one native kernel forward and one backward
 * (native/layer-norm.c), where the addon is loaded (wasm-blas). Op by op (tf.moments, sub, div, sqrt,
 * mul, add) it is ~25 kernels per call with their gradients, and Mean's gradient builds a ones array
 * of the input's size in JS; a real-data Transformer step calls it 19 times.
 */
const LAYER_NORM = 'WorkbenchLayerNorm';
const LAYER_NORM_GRAD = 'WorkbenchLayerNormGrad';

/** x [..., d], gamma/beta [d] → normalised x where the backend has the kernel, else null. */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor | null {
  if (!tf.getKernel(LAYER_NORM, tf.getBackend()) || x.dtype !== 'float32') return null;
  return tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon }) as tf.Tensor;
}

export function registerFusedLayerNorm(blas: BlasAddon): void {
  const { layerNorm, layerNormGrad } = blas;
  if (!layerNorm || !layerNormGrad || tf.getKernel(LAYER_NORM, 'wasm')) return;
  const f32 = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  tf.registerKernel({
    kernelName: LAYER_NORM,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const y = wasm.makeOutput(x.shape, 'float32');
      const [vx, vg, vb, vy] = [x, gamma, beta, y].map((t) => f32(wasm, t)); // views after allocating
      layerNorm.call(blas, vx, vg, vb, vy, (attrs as { epsilon: number }).epsilon);
      return y;
    },
  });
  tf.registerKernel({
    kernelName: LAYER_NORM_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, gamma } = inputs as Record<'dy' | 'x' | 'gamma', tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const outs = [x.shape, gamma.shape, gamma.shape].map((shape) => wasm.makeOutput(shape, 'float32'));
      const [vdy, vx, vg, dx, dg, db] = [dy, x, gamma, ...outs].map((t) => f32(wasm, t));
      layerNormGrad.call(blas, vdy, vx, vg, dx, dg, db, (attrs as { epsilon: number }).epsilon);
      return outs;
    },
  });
  tf.registerGradient({
    kernelName: LAYER_NORM,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved;
      // Computed once here: the engine asks for each input's gradient separately, each in its own tidy.
      const [dx, dGamma, dBeta] = tf
        .engine()
        .runKernel(LAYER_NORM_GRAD, { dy: dy as tf.Tensor, x, gamma }, attrs) as tf.Tensor[];
      return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
    },
  });
}
