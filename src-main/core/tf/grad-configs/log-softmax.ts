import * as tf from '@tensorflow/tfjs-core';
import { LOG_SOFTMAX, LOG_SOFTMAX_GRAD } from '../fused-log-softmax.ts';

/** The gradient of the fused log-softmax, from its saved output. */
export const logSoftmaxGradConfig: tf.GradConfig = {
  kernelName: LOG_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, saved) => ({
    logits: () => tf.engine().runKernel(LOG_SOFTMAX_GRAD, { dy: dy as tf.Tensor, y: saved[0] }, {}) as tf.Tensor,
  }),
};
