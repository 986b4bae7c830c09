import * as tf from '@tensorflow/tfjs-core';
import type { BlasAddon } from './blas-addon.ts';

/**
 * A kernel of the project's, declared as tfjs declares its own (a KernelConfig a file, registered from a
 * list: kernel-configs/index.ts), with what it needs to be built: tfjs's kernel of the same name where it
 * wraps one (handed over as `original`, for the cases it does not take) and the native addon (wasm-blas).
 */
export interface KernelSpec {
  kernelName: string;
  backendName: 'wasm' | 'cpu';
  /** the addon exports it calls: registered only where the addon has every one of them */
  needs?: ReadonlyArray<keyof BlasAddon>;
  /** wraps tfjs's own kernel of this name: not registered where there is none */
  wraps?: boolean;
  kernelFunc(from: { original?: tf.KernelFunc; blas: BlasAddon | null }): tf.KernelFunc;
}

/** What registerKernelSpecs did already ("backend/kernel"): each spec is registered once per process. */
const registered = new Set<string>();

/**
 * Registers each spec of `specs` (in order) that fits: its backend, the addon's exports it needs, the
 * kernel it wraps. A kernel already there is replaced (a wrapping spec builds on it); idempotent.
 */
export function registerKernelSpecs(specs: readonly KernelSpec[], blas: BlasAddon | null = null): void {
  for (const spec of specs) {
    const key = `${spec.backendName}/${spec.kernelName}`;
    if (registered.has(key)) continue;
    if (spec.needs?.some((name) => !blas?.[name])) continue;
    const existing = tf.getKernel(spec.kernelName, spec.backendName);
    if (spec.wraps && !existing) continue;
    registered.add(key);
    if (existing) tf.unregisterKernel(spec.kernelName, spec.backendName);
    const kernelFunc = spec.kernelFunc({ original: existing?.kernelFunc, blas });
    tf.registerKernel({ kernelName: spec.kernelName, backendName: spec.backendName, kernelFunc });
  }
}
