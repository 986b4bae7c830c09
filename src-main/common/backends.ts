/**
 * The one list of TensorFlow.js backends, fastest first: the order `auto` tries
 * them in (src-main/core/tf/backend.ts), what `--backend` and the launch form
 * accept, and what a user reads about each. Plain data, so every door and the
 * renderer can import it.
 */
export const BACKEND_ORDER = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm-blas', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];
export type BackendPreference = BackendName | 'auto';
/** `auto` and every backend: what --backend and the contract's `backend` accept. */
export const BACKEND_PREFERENCES = ['auto', ...BACKEND_ORDER] as const;

export const BACKEND_DESCRIPTIONS: Record<BackendPreference, string> = {
  auto: 'the fastest that loads here',
  'tensorflow-gpu': 'CUDA through @tensorflow/tfjs-node-gpu (CUDA 11.2 / cuDNN 8.1)',
  webgpu: 'WebGPU on Dawn: Vulkan, Metal or D3D12 (auto takes a hardware adapter only)',
  tensorflow: 'libtensorflow on the CPU through @tensorflow/tfjs-node',
  'wasm-blas': 'WebAssembly with OpenBLAS matmuls and fused kernels (the native addon)',
  wasm: 'WebAssembly (XNNPACK), no native addon',
  cpu: 'plain JavaScript (reference; slow)',
};

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}
