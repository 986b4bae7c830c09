import * as tf from '@tensorflow/tfjs-core';

/**
 * One Bahdanau attention step (score = vᵀ tanh(keys + q)) as one native kernel forward and one
 * backward (native/bahdanau.c), where the addon is loaded (wasm-blas). Op by op, each teacher-forced
 * step kept its [B, S, H] energy and the sum before it for the backward pass, and ran ~30 small kernels;
 * this keeps the step's weights [B, S] and recomputes the energy in the backward pass, so the memory of
 * attention training grows with B·S per target position instead of B·S·H. Declared in
 * kernel-configs/bahdanau-attend*.ts and grad-configs/bahdanau-attend.ts.
 */
export const ATTEND = 'WorkbenchBahdanauAttend';
export const ATTEND_GRAD = 'WorkbenchBahdanauAttendGrad';

export interface AttendInputs {
  /** [B, H] the projected query */
  q: tf.Tensor2D;
  /** [B, S, H] the projected keys */
  keys: tf.Tensor3D;
  /** [H] the energy layer */
  v: tf.Tensor1D;
  /** [B, S] additive mask: 0 for real tokens, -1e9 for padding */
  bias: tf.Tensor2D;
  /** [B, S, D] the encoder states */
  states: tf.Tensor3D;
}

/** context [B, D] and weights [B, S] where the backend has the kernel, else null. */
export function fusedBahdanauAttend(inputs: AttendInputs): { context: tf.Tensor2D; weights: tf.Tensor2D } | null {
  if (!tf.getKernel(ATTEND, tf.getBackend())) return null;
  if (Object.values(inputs).some((t) => t.dtype !== 'float32')) return null;
  const [context, weights] = tf.engine().runKernel(ATTEND, { ...inputs }, {}) as tf.Tensor[];
  return { context: context as tf.Tensor2D, weights: weights as tf.Tensor2D };
}
