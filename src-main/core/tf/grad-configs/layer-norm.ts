import * as tf from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD } from '../fused-layer-norm.ts';

/** The gradient of the fused layer norm: x's, gamma's and beta's from one LAYER_NORM_GRAD kernel. */
export const layerNormGradConfig: tf.GradConfig = {
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
};
