import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD } from '../fused-cross-entropy.ts';

/** The gradient of the fused cross-entropy: the logits' from one CROSS_ENTROPY_GRAD kernel, none for targets. */
export const crossEntropyGradConfig: tf.GradConfig = {
  kernelName: CROSS_ENTROPY,
  inputsToSave: ['logits', 'targets'],
  outputsToSave: [false, false, true],
  gradFunc: (dy, saved, attrs) => {
    const [logits, targets, lse] = saved;
    // An output outside the backprop graph (nll where only the loss is trained) may arrive as null.
    const [dLoss, dNll] = (dy as Array<tf.Tensor | null>).slice(0, 2).map((d) => d ?? tf.zerosLike(lse));
    return {
      logits: () =>
        tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits, targets, lse, dLoss, dNll }, attrs) as tf.Tensor,
      targets: () => tf.zerosLike(targets),
    };
  },
};
