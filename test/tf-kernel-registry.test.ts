import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm'; // tfjs registers its own wasm kernels now, before any count
import { initBackend, type BackendName } from '../src-main/core/tf/backend.ts';
import { BACKEND_KERNELS } from '../src-main/core/tf/kernel-configs/index.ts';
import { installBackendKernels, installKernels, planKernels } from '../src-main/core/tf/kernel-registry.ts';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';

/**
 * The project's kernels are registered from one list per backend (tf/kernel-configs/index.ts): a backend's
 * kernels are its list's, each registered once, built on tfjs's own kernel, whatever backend a process
 * used before and whatever order its list is in.
 */

/** tfjs-backend-wasm's own Exp, before the project replaces it (on wasm-blas). */
const tfjsExp = tf.getKernel('Exp', 'wasm');

/** Each registration of `backend/kernel` in tfjs's kernel registry (one Map, process-global). */
function countRegistrations(): { count(key: string): number; stop(): void } {
  const globals = (globalThis as unknown as { _tfGlobals: Map<string, unknown> })._tfGlobals;
  const registry = globals.get('kernelRegistry') as Map<string, tf.KernelConfig>;
  const counts = new Map<string, number>();
  const set = registry.set.bind(registry);
  registry.set = (key: string, config: tf.KernelConfig) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return set(key, config);
  };
  return { count: (key) => counts.get(key) ?? 0, stop: () => (registry.set = set) };
}

/** Batched products with each transpose (BLAS on wasm-blas, XNNPACK on wasm), an Exp, the fused cell there? */
function probe() {
  const values = (n: number, salt: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + salt));
  const products = tf.tidy(() =>
    [false, true].flatMap((ta) =>
      [false, true].map((tb) => {
        const a = tf.tensor3d(values(30 * 10 * 170, 1), ta ? [30, 170, 10] : [30, 10, 170]);
        const b = tf.tensor3d(values(30 * 170 * 12, 2), tb ? [30, 12, 170] : [30, 170, 12]);
        return Array.from(tf.matMul(a, b, ta, tb).dataSync());
      }),
    ),
  );
  const exp = tf.tidy(() => Array.from(tf.exp(tf.tensor1d(values(5000, 3))).dataSync()));
  return { products, exp, fusedLstm: tf.getKernel('WorkbenchLstmCell', 'wasm') !== undefined };
}

async function on(backend: BackendName) {
  const registrations = countRegistrations();
  try {
    expect((await initBackend(backend)).name).toBe(backend);
  } finally {
    registrations.stop();
  }
  return { ...probe(), batchMatMulRegistrations: registrations.count('wasm_BatchMatMul') };
}

describe.runIf(loadBlas().addon)('kernels per backend', () => {
  it('wasm-blas registers BatchMatMul once (not a plain one replaced by a BLAS one)', async () => {
    const first = await on('wasm-blas'); // the first wasm set-up of this file's process (tf- files are isolated)
    expect(first.batchMatMulRegistrations).toBe(1);
    expect(first.fusedLstm).toBe(true);
    await initBackend('cpu');
  });

  it('a backend computes with its own kernels whatever ran before (wasm after wasm-blas is plain wasm)', async () => {
    const blas = await on('wasm-blas');
    const plain = await on('wasm');
    expect(plain.fusedLstm).toBe(false);
    expect(tf.getKernel('Exp', 'wasm')).toBe(tfjsExp); // the addon's Exp gone, tfjs's own back
    const blasAgain = await on('wasm-blas');
    const plainAgain = await on('wasm');
    expect(blasAgain).toEqual({ ...blas, batchMatMulRegistrations: 1 });
    expect(plainAgain).toEqual({ ...plain, batchMatMulRegistrations: 1 });
    await initBackend('cpu');
  });
});

describe('kernel lists', () => {
  it('each backend list names a kernel once, on its own tfjs backend (BatchMatMul on both wasm lists)', () => {
    for (const [backend, list] of Object.entries(BACKEND_KERNELS)) {
      const keys = list.kernels.map((k) => `${k.backendName}/${k.kernelName}`);
      expect(new Set(keys).size, backend).toBe(keys.length);
      expect(
        list.kernels.every((k) => k.backendName === list.tfBackend),
        backend,
      ).toBe(true);
    }
    for (const backend of ['wasm', 'wasm-blas'] as const)
      expect(BACKEND_KERNELS[backend].kernels.filter((k) => k.kernelName === 'BatchMatMul')).toHaveLength(1);
  });

  it('refuses a list that names a kernel twice (the order would decide which one stays)', () => {
    const { kernels } = BACKEND_KERNELS.wasm;
    const matmul = kernels.find((k) => k.kernelName === 'BatchMatMul');
    expect(() => planKernels('wasm', [...kernels, { ...matmul! }], null)).toThrow(
      'kernel list for wasm names BatchMatMul twice',
    );
    expect(() => planKernels('cpu', kernels, null)).toThrow(/declared for wasm/);
  });

  it.runIf(loadBlas().addon)('the order of a list does not change what a backend computes', async () => {
    const listed = await on('wasm-blas');
    const { kernels, gradients } = BACKEND_KERNELS['wasm-blas'];
    // Copies, reversed: new specs, so every kernel is registered again, in the opposite order.
    installKernels(
      'wasm',
      [...kernels].reverse().map((k) => ({ ...k })),
      loadBlas().addon,
      gradients,
    );
    expect({ ...probe(), batchMatMulRegistrations: listed.batchMatMulRegistrations }).toEqual(listed);
    installBackendKernels('wasm-blas', loadBlas().addon);
    await initBackend('cpu');
  });
});
