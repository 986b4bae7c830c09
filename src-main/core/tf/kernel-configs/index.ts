import type * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../../common/backends.ts';
import { bahdanauAttendGradConfig } from '../grad-configs/bahdanau-attend.ts';
import { crossEntropyGradConfig } from '../grad-configs/cross-entropy.ts';
import { layerNormGradConfig } from '../grad-configs/layer-norm.ts';
import { logSoftmaxGradConfig } from '../grad-configs/log-softmax.ts';
import { lstmCellGradConfig } from '../grad-configs/lstm-cell.ts';
import { lstmSequenceGradConfig } from '../grad-configs/lstm-sequence.ts';
import type { KernelSpec } from '../kernel-spec.ts';
import { bahdanauAttendBackwardConfig } from './bahdanau-attend-backward.ts';
import { bahdanauAttendConfig } from './bahdanau-attend.ts';
import { batchMatMulConfig } from './batch-matmul.ts';
import { blasSumConfig } from './blas-sum.ts';
import { blasExpConfig } from './blas-exp.ts';
import { blasTanhConfig } from './blas-tanh.ts';
import { cpuSegmentSumConfig } from './cpu-segment-sum.ts';
import { crossEntropyBackwardConfig } from './cross-entropy-backward.ts';
import { crossEntropyConfig } from './cross-entropy.ts';
import { fusedAdamConfig } from './fused-adam.ts';
import { layerNormBackwardConfig } from './layer-norm-backward.ts';
import { layerNormConfig } from './layer-norm.ts';
import { logSoftmaxBackwardConfig } from './log-softmax-backward.ts';
import { logSoftmaxConfig } from './log-softmax.ts';
import { lstmCellBackwardConfig } from './lstm-cell-backward.ts';
import { lstmCellConfig } from './lstm-cell.ts';
import { lstmSequenceBackwardConfig } from './lstm-sequence-backward.ts';
import { lstmSequenceConfig } from './lstm-sequence.ts';
import { rowGatherConfig } from './row-gather.ts';
import { sharedCastConfig } from './shared-cast.ts';
import { sharedIdentityConfig } from './shared-identity.ts';
import { sliceConfig } from './slice.ts';
import { splitVConfig } from './split-v.ts';
import { sumSquaresConfig } from './sum-squares.ts';
import { unpackConfig } from './unpack.ts';
import { wasmSegmentSumConfig } from './wasm-segment-sum.ts';

/**
 * Every kernel and gradient the project registers, one list per backend, as tfjs registers its own
 * (register_all_kernels): initBackend installs the chosen backend's list (kernel-registry.ts), and a
 * backend computes with exactly its list's kernels whatever ran before it in the process. A list names a
 * kernel once; each spec is built on tfjs's own kernel, so the order of a list does not matter.
 * Measured in ../shared/ENVIRONMENT.md and bench/kernels.ts.
 */
export interface BackendKernels {
  /** the tfjs backend the kernels are registered on (wasm-blas is tfjs's wasm with the addon) */
  tfBackend: string;
  /** the native addon is handed to the kernels that take it */
  withAddon: boolean;
  kernels: readonly KernelSpec[];
  gradients: readonly tf.GradConfig[];
}

/** What makes training work, and work fast, on wasm without the addon. */
const WASM_KERNELS: readonly KernelSpec[] = [
  wasmSegmentSumConfig, // the gradient of every embedding lookup: missing on wasm
  batchMatMulConfig, // XNNPACK off its fast path for transposed operands (every matmul gradient)
  sliceConfig, // Slice, Unpack and SplitV copied their whole input off the heap per output
  unpackConfig,
  splitVConfig,
  sharedIdentityConfig, // Identity (and a Cast to the same dtype) copied its input
  sharedCastConfig,
  rowGatherConfig, // Gather walked element by element
];

/** The addon's kernels on wasm-blas (each where the addon has the exports it needs), forward and backward. */
const ADDON_KERNELS: readonly KernelSpec[] = [
  blasExpConfig,
  blasTanhConfig,
  blasSumConfig,
  fusedAdamConfig,
  sumSquaresConfig,
  lstmCellConfig,
  lstmCellBackwardConfig,
  lstmSequenceConfig,
  lstmSequenceBackwardConfig,
  logSoftmaxConfig,
  logSoftmaxBackwardConfig,
  crossEntropyConfig,
  crossEntropyBackwardConfig,
  layerNormConfig,
  layerNormBackwardConfig,
  bahdanauAttendConfig,
  bahdanauAttendBackwardConfig,
];

/** The gradients of the addon's fused kernels (tfjs's gradient registry is not per backend). */
const ADDON_GRADIENTS: readonly tf.GradConfig[] = [
  lstmCellGradConfig,
  lstmSequenceGradConfig,
  logSoftmaxGradConfig,
  crossEntropyGradConfig,
  layerNormGradConfig,
  bahdanauAttendGradConfig,
];

const none = (tfBackend: string): BackendKernels => ({ tfBackend, withAddon: false, kernels: [], gradients: [] });

export const BACKEND_KERNELS: Readonly<Record<BackendName, BackendKernels>> = {
  'tensorflow-gpu': none('tensorflow'),
  webgpu: none('webgpu'),
  tensorflow: none('tensorflow'),
  'wasm-blas': {
    tfBackend: 'wasm',
    withAddon: true,
    kernels: [...WASM_KERNELS, ...ADDON_KERNELS],
    gradients: ADDON_GRADIENTS,
  },
  wasm: { tfBackend: 'wasm', withAddon: false, kernels: WASM_KERNELS, gradients: [] },
  cpu: { tfBackend: 'cpu', withAddon: false, kernels: [cpuSegmentSumConfig], gradients: [] },
};
