import * as tf from '@tensorflow/tfjs-core';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '../fused-lstm.ts';

/** The gradient of a whole LSTM layer: every input's gradient from one LSTM_SEQUENCE_GRAD kernel. */
export const lstmSequenceGradConfig: tf.GradConfig = {
  kernelName: LSTM_SEQUENCE,
  inputsToSave: ['U', 'mask'],
  outputsToSave: [false, false, false, true, true, true, true],
  gradFunc: (dy, saved, attrs) => {
    const [U, mask, acts, cprev, c2, hprev] = saved;
    const [dhs, dhT, dcT] = dy as Array<tf.Tensor | null>;
    const [B, T] = mask.shape;
    const H = U.shape[0];
    // Computed once here (the engine asks for each input's gradient separately); an output outside the
    // backprop graph arrives as null: zero gradient.
    const grads = tf.engine().runKernel(
      LSTM_SEQUENCE_GRAD,
      {
        U,
        mask,
        acts,
        cprev,
        c2,
        hprev,
        dhs: dhs ?? tf.zeros([B, T, H]),
        dhT: dhT ?? tf.zeros([B, H]),
        dcT: dcT ?? tf.zeros([B, H]),
      },
      attrs as tf.NamedAttrMap,
    ) as tf.Tensor[];
    const [dxproj, dU, dh0, dc0] = grads;
    return { xproj: () => dxproj, U: () => dU, h0: () => dh0, c0: () => dc0, mask: () => tf.zerosLike(mask) };
  },
};
