import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_ORDER, type BackendName, type BackendPreference } from '../../common/backends.ts';
import '@tensorflow/tfjs-backend-cpu';
import { silenceCpuBanner } from './cpu-banner.ts';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { BACKEND_KERNELS } from './kernel-configs/index.ts';
import { installBackendKernels } from './kernel-registry.ts';
import { loadBlas } from './native-blas.ts';
import { installWebGpu, type GpuAdapterInfo } from './webgpu.ts';

/**
 * Picks the TensorFlow.js backend: the fastest that loads, or the one asked for
 * (`--backend`). The chain: tfjs-node-gpu (CUDA) → webgpu (Dawn, on a hardware
 * adapter only; see webgpu.ts) → tfjs-node (libtensorflow on the CPU) →
 * wasm-blas (the project's own fallback: wasm with OpenBLAS matmuls, see
 * native-blas.ts) → wasm → cpu. Every run records the choice and a one-line
 * reason for each backend skipped; a native package that fails to load (absent,
 * missing CUDA or libtensorflow) is skipped, never a crash.
 */
export type { BackendName, BackendPreference };

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendInfo {
  name: BackendName;
  attempts: BackendAttempt[];
  /** webgpu: the adapter it runs on */
  adapter?: GpuAdapterInfo;
}

silenceCpuBanner();

let active: BackendInfo | undefined;

export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (active && (preference === 'auto' || preference === active.name)) return active;
  const order: readonly BackendName[] = preference === 'auto' ? BACKEND_ORDER : [preference];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      // Native packages are optionalDependencies: absent here, they fail to import and are skipped.
      if (name === 'tensorflow-gpu') await import(/* @vite-ignore */ '@tensorflow/tfjs-node-gpu' as string);
      if (name === 'tensorflow') await import(/* @vite-ignore */ '@tensorflow/tfjs-node' as string);
      let adapter: GpuAdapterInfo | undefined;
      if (name === 'webgpu') {
        adapter = await installWebGpu({ allowSoftware: preference === 'webgpu' });
        // Registers itself only where navigator.gpu exists, so it is imported after installWebGpu.
        await import('@tensorflow/tfjs-backend-webgpu');
      }
      let blas: ReturnType<typeof loadBlas> | undefined;
      if (name === 'wasm-blas') {
        blas = loadBlas();
        if (!blas.addon) throw new Error(blas.reason);
      }
      const tfName = BACKEND_KERNELS[name].tfBackend; // tensorflow-gpu is tfjs's tensorflow, wasm-blas its wasm
      if (tfName === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      const ok = await tf.setBackend(tfName);
      if (!ok) throw new Error(`tf.setBackend('${tfName}') returned false`);
      await tf.ready();
      // This backend's own kernel list (kernel-configs/index.ts), whatever an earlier backend installed.
      installBackendKernels(name, blas?.addon ?? null);
      attempts.push({ name, ok: true, reason: blas?.reason });
      active = { name, attempts, ...(adapter ? { adapter } : {}) };
      return active;
    } catch (err) {
      attempts.push({ name, ok: false, reason: (err as Error).message.split('\n')[0].slice(0, 200) });
    }
  }
  throw new Error(
    `no TensorFlow.js backend could be loaded: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`,
  );
}

export { tf };
