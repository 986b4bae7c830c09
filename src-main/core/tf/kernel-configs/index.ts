import type { KernelSpec } from '../kernel-spec.ts';
import { blasSumConfig } from './blas-sum.ts';
import { blasExpConfig, blasTanhConfig } from './blas-unary.ts';
import { fusedAdamConfig } from './fused-adam.ts';
import { rowGatherConfig } from './row-gather.ts';
import { cpuSegmentSumConfig, wasmSegmentSumConfig } from './segment-sum.ts';
import { sharedCastConfig, sharedIdentityConfig } from './shared-identity.ts';
import { sliceConfig } from './slice.ts';
import { splitVConfig } from './split-v.ts';
import { sumSquaresConfig } from './sum-squares.ts';
import { unpackConfig } from './unpack.ts';

/**
 * The project's kernels, registered from these lists as tfjs registers its own (register_all_kernels):
 * each spec applies to its backend only. Measured in ../shared/ENVIRONMENT.md and bench/kernels.ts.
 * BatchMatMul is not here: batch-matmul.ts installs it once, plain or with BLAS, whatever came first.
 */

/** What makes training work, and work fast, without libtensorflow (wasm and cpu). */
export const KERNEL_FIXES: readonly KernelSpec[] = [
  wasmSegmentSumConfig,
  cpuSegmentSumConfig,
  sliceConfig,
  unpackConfig,
  splitVConfig,
  sharedIdentityConfig,
  sharedCastConfig,
  rowGatherConfig,
];

/** The addon's kernels on wasm-blas (each where the addon has the exports it needs). */
export const BLAS_KERNELS: readonly KernelSpec[] = [
  blasExpConfig,
  blasTanhConfig,
  blasSumConfig,
  fusedAdamConfig,
  sumSquaresConfig,
];
