import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';
import type { WasmBackend } from './wasm-kernel.ts';

/**
 * One Bahdanau attention step (score = vᵀ tanh(keys + q)) as one native kernel forward and one
 * backward (native/bahdanau.c), where the addon is loaded (wasm-blas). Op by op, each teacher-forced
 * step kept its [B, S, H] energy and the sum before it for the backward pass, and ran ~30 small kernels;
 * this keeps the step's weights [B, S] and recomputes the energy in the backward pass, so the memory of
 * attention training grows with B·S per target position instead of B·S·H.
 */
const ATTEND = 'WorkbenchBahdanauAttend';
const ATTEND_GRAD = 'WorkbenchBahdanauAttendGrad';

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

export function registerFusedBahdanau(blas: BlasAddon): void {
  const { bahdanauAttend, bahdanauAttendGrad } = blas;
  if (!bahdanauAttend || !bahdanauAttendGrad || tf.getKernel(ATTEND, 'wasm')) return;
  const f32 = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  tf.registerKernel({
    kernelName: ATTEND,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { q, keys, v, bias, states } = inputs as Record<keyof AttendInputs, tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const [B, S, D] = states.shape;
      const outs = [wasm.makeOutput([B, D], 'float32'), wasm.makeOutput([B, S], 'float32')]; // context, weights
      // views after allocating
      const [a, b, c, d, e, ctx, w] = [q, keys, v, bias, states, ...outs].map((t) => f32(wasm, t));
      bahdanauAttend.call(blas, a, b, c, d, e, ctx, w);
      return outs;
    },
  });
  tf.registerKernel({
    kernelName: ATTEND_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { q, keys, v, states, weights, dContext, dWeights } = inputs as Record<string, tf.TensorInfo>;
      const wasm = backend as unknown as WasmBackend;
      const [B, S, D] = states.shape;
      const H = v.shape[0];
      const outs = [q.shape, keys.shape, v.shape, states.shape].map((shape) => wasm.makeOutput(shape, 'float32'));
      const views = [q, keys, v, states, weights, dContext, dWeights, ...outs].map((t) => f32(wasm, t));
      bahdanauAttendGrad.call(blas, ...views, [B, S, H, D]);
      return outs;
    },
  });
  tf.registerGradient({
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
  });
}
