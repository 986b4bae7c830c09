import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerKernelFixes } from './kernels.ts';

/**
 * Picks the TensorFlow.js backend: the fastest that loads, or the one asked for.
 * Every run records the choice and why the faster ones were skipped.
 * (First version: cpu and wasm. Native/GPU and kernel fixes come with the
 * training-engine work.)
 */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendInfo {
  name: BackendName;
  attempts: BackendAttempt[];
}

let active: BackendInfo | undefined;

export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (active && (preference === 'auto' || preference === active.name)) return active;
  const order: BackendName[] = preference === 'auto' ? ['wasm', 'cpu'] : [preference];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
      await tf.ready();
      registerKernelFixes(name);
      attempts.push({ name, ok: true });
      active = { name, attempts };
      return active;
    } catch (err) {
      attempts.push({ name, ok: false, reason: (err as Error).message.split('\n')[0] });
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
}

export { tf };
