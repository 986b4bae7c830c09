import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../common/backends.ts';
import type { BlasAddon } from './blas-addon.ts';
import { BACKEND_KERNELS } from './kernel-configs/index.ts';
import { usesBlas, type KernelSpec } from './kernel-spec.ts';

/**
 * Installs a backend's kernel list (kernel-configs/index.ts) in tfjs's kernel registry, which is global
 * and keyed by tfjs backend: wasm and wasm-blas share tfjs's wasm. After installKernels the registry holds,
 * for that tfjs backend, exactly the list's kernels, each built once on tfjs's own kernel of its name, and
 * tfjs's own for every kernel another list replaced. So a backend's results do not depend on which
 * backend a process used before it, nor on the order of its list; a kernel already registered as the
 * list wants it is not registered again (BatchMatMul is registered once, plain or with BLAS).
 */

interface Choice {
  spec: KernelSpec;
  /** the addon the spec is built with (null for a spec that does not use it) */
  blas: BlasAddon | null;
}

/** tfjs's own kernel of each name the project replaces ("backend/kernel"; null where tfjs has none). */
const tfjsOwn = new Map<string, tf.KernelConfig | null>();
/** What stands in place of tfjs's own now. */
const registered = new Map<string, Choice>();
/** Gradients registered (tfjs's gradient registry is not per backend and warns on a second one). */
const gradients = new Set<string>();

const keyOf = (spec: { backendName: string; kernelName: string }) => `${spec.backendName}/${spec.kernelName}`;

/**
 * Which spec each kernel of `tfBackend` gets from `specs` with this addon: a spec that needs exports the
 * addon lacks is left out. A list that names a kernel twice (one registration would replace the other,
 * and the order would decide which) or a spec of another tfjs backend is refused.
 */
export function planKernels(
  tfBackend: string,
  specs: readonly KernelSpec[],
  blas: BlasAddon | null,
): Map<string, Choice> {
  const seen = new Set<string>();
  const plan = new Map<string, Choice>();
  for (const spec of specs) {
    const key = keyOf(spec);
    if (spec.backendName !== tfBackend)
      throw new Error(`kernel list for ${tfBackend}: ${spec.kernelName} is declared for ${spec.backendName}`);
    if (seen.has(key)) throw new Error(`kernel list for ${tfBackend} names ${spec.kernelName} twice`);
    seen.add(key);
    if (spec.needs?.some((name) => !blas?.[name])) continue;
    plan.set(key, { spec, blas: usesBlas(spec) ? blas : null });
  }
  return plan;
}

/** Makes `specs` (and only them) the project's kernels on `tfBackend`, and registers `grads` once. */
export function installKernels(
  tfBackend: string,
  specs: readonly KernelSpec[],
  blas: BlasAddon | null,
  grads: readonly tf.GradConfig[] = [],
): void {
  const plan = planKernels(tfBackend, specs, blas);
  for (const [key, now] of registered)
    if (now.spec.backendName === tfBackend && !plan.has(key)) restoreTfjsOwn(key, now.spec);
  for (const [key, want] of plan) {
    const own = tfjsOwnKernel(key, want.spec);
    if (want.spec.wraps && !own) continue;
    const now = registered.get(key);
    if (now?.spec === want.spec && now.blas === want.blas) continue;
    const { kernelName, backendName } = want.spec;
    if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
    const kernelFunc = want.spec.kernelFunc({ original: own?.kernelFunc, blas: want.blas });
    tf.registerKernel({ kernelName, backendName, kernelFunc });
    registered.set(key, want);
  }
  for (const grad of grads) {
    if (gradients.has(grad.kernelName)) continue;
    tf.registerGradient(grad);
    gradients.add(grad.kernelName);
  }
}

/** Installs the list of a backend of the project's (initBackend, after tfjs's backend is ready). */
export function installBackendKernels(backend: BackendName, addon: BlasAddon | null): void {
  const list = BACKEND_KERNELS[backend];
  installKernels(list.tfBackend, list.kernels, list.withAddon ? addon : null, list.gradients);
}

/** tfjs's own config of the spec's kernel, as found before the project first replaced it. */
function tfjsOwnKernel(key: string, spec: KernelSpec): tf.KernelConfig | null {
  if (!tfjsOwn.has(key)) tfjsOwn.set(key, tf.getKernel(spec.kernelName, spec.backendName) ?? null);
  return tfjsOwn.get(key) ?? null;
}

function restoreTfjsOwn(key: string, spec: KernelSpec): void {
  if (tf.getKernel(spec.kernelName, spec.backendName)) tf.unregisterKernel(spec.kernelName, spec.backendName);
  const own = tfjsOwn.get(key);
  if (own) tf.registerKernel(own);
  registered.delete(key);
}
