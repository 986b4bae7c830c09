import * as tf from '@tensorflow/tfjs-core';
import { ATTEND, ATTEND_GRAD } from '../fused-attention.ts';

/** The gradient of a fused Bahdanau step: every input's from one ATTEND_GRAD kernel, none for the mask. */
export const bahdanauAttendGradConfig: tf.GradConfig = {
  kernelName: ATTEND,
  inputsToSave: ['q', 'keys', 'v', 'bias', 'states'],
  outputsToSave: [false, true],
  gradFunc: (dy, saved) => {
    const [q, keys, v, bias, states, weights] = saved;
    // The weights are usually shown, not trained on: their gradient may arrive as null.
    const [dc, dw] = dy as Array<tf.Tensor | null>;
    const dContext = dc ?? tf.zeros([states.shape[0], states.shape[2] as number]);
    const dWeights = dw ?? tf.zerosLike(weights);
    // Computed once here: the engine asks for each input's gradient separately, each in its own tidy.
    const [dq, dKeys, dv, dStates] = tf
      .engine()
      .runKernel(ATTEND_GRAD, { q, keys, v, states, weights, dContext, dWeights }, {}) as tf.Tensor[];
    return { q: () => dq, keys: () => dKeys, v: () => dv, states: () => dStates, bias: () => tf.zerosLike(bias) };
  },
};
