import * as tf from '@tensorflow/tfjs-core';
import { LSTM_CELL, LSTM_CELL_GRAD } from '../fused-lstm.ts';

/** The gradient of an LSTM cell step: both input gradients from one LSTM_CELL_GRAD kernel. */
export const lstmCellGradConfig: tf.GradConfig = {
  kernelName: LSTM_CELL,
  inputsToSave: ['c'],
  outputsToSave: [false, true, true],
  gradFunc: (dy, saved) => {
    const [c, c2, acts] = saved;
    // An output outside the backprop graph (the last step's c) arrives as null: zero gradient.
    const [dh, dc2] = (dy as Array<tf.Tensor | null>).slice(0, 2).map((d) => d ?? tf.zerosLike(c));
    const [dgates, dc] = tf.engine().runKernel(LSTM_CELL_GRAD, { dh, dc2, c, c2, acts }, {}) as tf.Tensor[];
    return { gates: () => dgates, c: () => dc };
  },
};
