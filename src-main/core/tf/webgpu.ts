import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { adapterLabel, type GpuAdapterInfo } from '../../common/gpu-adapter.ts';

/**
 * WebGPU in Node: the `webgpu` package is Dawn (Chromium's WebGPU) built for
 * Node, on Vulkan (Linux), Metal (macOS) or D3D12 (Windows). It gives the
 * process a `navigator.gpu`, on which @tensorflow/tfjs-backend-webgpu runs
 * unchanged. It installs everywhere (prebuilt, no CUDA), unlike tfjs-node-gpu.
 *
 * A software adapter (SwiftShader, llvmpipe/lavapipe) runs the same shaders on
 * the CPU: much slower than wasm-blas, but it lets a machine without a GPU
 * check the GPU path's numbers. `auto` therefore only takes a hardware
 * adapter; asking for `webgpu` by name also accepts a software one.
 */

// What a run records about the adapter it trained on, and its one-line name: in common (the renderer shows them too).
export { adapterLabel, type GpuAdapterInfo };

/**
 * SwiftShader's Vulkan driver ships with Chromium-based browsers. Named through
 * VK_ICD_FILENAMES, Vulkan (and so Dawn) sees a software adapter. Tried only when
 * `webgpu` is asked for by name and no other adapter is there.
 */
export const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json', // Debian/Ubuntu `chromium`
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json', // Fedora
  '/opt/google/chrome/vk_swiftshader_icd.json', // Google Chrome
];

/** The minimal slice of the WebGPU API used here (the full types live in @webgpu/types). */
interface AdapterLike {
  readonly info: {
    vendor: string;
    architecture: string;
    device: string;
    description: string;
    isFallbackAdapter?: boolean;
  };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

export function describeAdapter(adapter: AdapterLike): GpuAdapterInfo {
  const i = adapter.info;
  const text = `${i.vendor} ${i.architecture} ${i.device} ${i.description}`;
  return {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    software: Boolean(i.isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe|software|warp/i.test(text),
  };
}

/**
 * Linux: whether Vulkan has any driver to offer (where the loader looks for ICD manifests).
 * Without one Dawn finds no adapter anyway, after printing warnings to stderr from native
 * code, so `auto` on a machine without a GPU driver skips it before loading Dawn at all.
 */
export function vulkanDriverManifests(env: NodeJS.ProcessEnv = process.env): string[] {
  const named = [env.VK_ICD_FILENAMES, env.VK_DRIVER_FILES, env.VK_ADD_DRIVER_FILES].flatMap((v) =>
    v ? v.split(':').filter(Boolean) : [],
  );
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  const dirs = [
    '/etc/vulkan/icd.d',
    join(env.XDG_DATA_HOME || join(homedir(), '.local/share'), 'vulkan/icd.d'),
    ...dataDirs.map((d) => join(d, 'vulkan/icd.d')),
  ];
  const found = dirs.flatMap((d) => {
    try {
      return readdirSync(d)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(d, f));
    } catch {
      return [];
    }
  });
  return [...named.filter((f) => existsSync(f)), ...found];
}

async function requestAdapter(dawn: DawnModule): Promise<AdapterLike | null> {
  return dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
}

/** Finds an acceptable adapter, or throws with a one-line reason. */
async function findAdapter(allowSoftware: boolean): Promise<{ dawn: DawnModule; info: GpuAdapterInfo }> {
  const linux = process.platform === 'linux';
  const swiftshader = SWIFTSHADER_ICDS.find((p) => existsSync(p));
  if (linux && vulkanDriverManifests().length === 0) {
    if (!(allowSoftware && swiftshader)) {
      throw new Error(
        'no Vulkan driver installed (no ICD manifest in /usr/share/vulkan/icd.d ' +
          "or VK_ICD_FILENAMES): install the GPU vendor's driver",
      );
    }
    process.env.VK_ICD_FILENAMES = swiftshader;
  }
  let dawn: DawnModule;
  try {
    // An optionalDependency: absent on a platform without a prebuilt Dawn.
    dawn = (await import(/* @vite-ignore */ 'webgpu' as string)) as DawnModule;
  } catch (err) {
    throw new Error(
      `the webgpu package (Dawn) is not installed or does not load: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  // Dawn's Vulkan backend warns on every start without it.
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  let adapter = await requestAdapter(dawn);
  if (!adapter && linux && allowSoftware && swiftshader && !process.env.VK_ICD_FILENAMES) {
    // The Vulkan loader reads VK_ICD_FILENAMES when an instance is created, so a second instance sees it.
    process.env.VK_ICD_FILENAMES = swiftshader;
    adapter = await requestAdapter(dawn);
  }
  if (!adapter) {
    throw new Error(
      allowSoftware
        ? "no WebGPU adapter: install the GPU vendor's Vulkan driver (Linux), " +
            'or the chromium package for the SwiftShader software adapter'
        : "no hardware WebGPU adapter (install the GPU vendor's Vulkan driver " +
            'on Linux; --backend webgpu also accepts a software adapter)',
    );
  }
  const info = describeAdapter(adapter);
  if (info.software && !allowSoftware) {
    throw new Error(
      `only a software WebGPU adapter (${adapterLabel(info)}), ` +
        `slower than the CPU backends; --backend webgpu uses it anyway`,
    );
  }
  return { dawn, info };
}

/**
 * Installs `navigator.gpu` for tfjs-backend-webgpu when an acceptable adapter exists,
 * and says which. Throws with a one-line reason otherwise (the backend chain records it).
 */
export async function installWebGpu(opts: { allowSoftware: boolean }): Promise<GpuAdapterInfo> {
  const { dawn, info } = await findAdapter(opts.allowSoftware);
  Object.assign(globalThis, dawn.globals);
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GpuLike };
  Object.defineProperty(nav, 'gpu', { value: dawn.create([]), configurable: true, enumerable: true, writable: true });
  return info;
}

/**
 * The adapter `--backend webgpu` would train on (a software one included), without making
 * WebGPU this process's backend: what the launch form shows next to the choice.
 */
export async function probeWebGpu(): Promise<GpuAdapterInfo> {
  const icd = process.env.VK_ICD_FILENAMES;
  try {
    return (await findAdapter(true)).info;
  } finally {
    if (icd === undefined) delete process.env.VK_ICD_FILENAMES;
    else process.env.VK_ICD_FILENAMES = icd;
  }
}
