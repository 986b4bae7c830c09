import type * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';

/**
 * A kernel of the project's, declared as tfjs declares its own (a KernelConfig a file, registered from one
 * list per backend: kernel-configs/index.ts), with what it needs to be built: tfjs's kernel of the same
 * name where it wraps one (handed over as `original`, for the cases it does not take) and the native addon
 * (wasm-blas). It is always built on tfjs's own kernel, never on another of the project's, so no kernel
 * depends on which was registered first.
 */
export interface KernelSpec {
  kernelName: string;
  backendName: 'wasm' | 'cpu';
  /** the addon exports it calls: registered only where the addon has every one of them */
  needs?: ReadonlyArray<keyof BlasAddon>;
  /** takes the addon where the backend has it and works without it (the addon is then null) */
  blasOptional?: boolean;
  /** wraps tfjs's own kernel of this name: not registered where there is none */
  wraps?: boolean;
  kernelFunc(from: { original?: tf.KernelFunc; blas: BlasAddon | null }): tf.KernelFunc;
}

/** Whether the spec is built with the addon (a spec that does not use it is the same kernel without it). */
export function usesBlas(spec: KernelSpec): boolean {
  return Boolean(spec.needs?.length || spec.blasOptional);
}
