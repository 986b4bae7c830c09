import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { adapterLabel, describeAdapter, SWIFTSHADER_ICDS, vulkanDriverManifests } from '../src-main/core/tf/webgpu.ts';
import { trainResult, tutorialTrainArgs, WORKBENCH } from './support/tutorial-train.ts';

const run = promisify(execFile);
interface Result {
  backend: string;
  adapter: { description: string; software: boolean } | null;
  variants: Record<string, { loss: number; grads: Record<string, number[]> }>;
}
const measure = async (backend: string): Promise<Result> => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/variant-gradients.ts', backend], {
    maxBuffer: 1 << 26,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Result;
};

/**
 * An adapter is a fact of the machine: Dawn (the optional `webgpu` package) and, on Linux, a Vulkan driver
 * (a GPU's, or SwiftShader's ICD that .ci/run installs with libvulkan1). Without them these two cases do not
 * apply; auto skipping webgpu with its reason is tf-backends.test.ts's.
 */
const dawnInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('webgpu');
    return true;
  } catch {
    return false;
  }
})();
const vulkanDriver = vulkanDriverManifests().length > 0 || SWIFTSHADER_ICDS.some((f) => existsSync(f));
const adapterPossible = dawnInstalled && (process.platform !== 'linux' || vulkanDriver);

describe.runIf(adapterPossible)('WebGPU (Dawn) trains like the cpu reference', () => {
  // Here the adapter is SwiftShader (software Vulkan); on a machine with a GPU the same test runs on the
  // hardware adapter.
  it('the loss and every parameter gradient of every model variant equal cpu within float tolerance', async () => {
    const [cpu, gpu] = await Promise.all([measure('cpu'), measure('webgpu')]);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.adapter?.description).toBeTruthy();
    expect(Object.keys(gpu.variants)).toEqual(Object.keys(cpu.variants));
    for (const [variant, ref] of Object.entries(cpu.variants)) {
      const got = gpu.variants[variant];
      expect(got.loss, variant).toBeCloseTo(ref.loss, 4);
      for (const [name, g] of Object.entries(ref.grads)) {
        // Relative to the tensor's largest gradient: float32 sums in another order differ in the last digits.
        const scale = Math.max(1e-3, ...g.map(Math.abs));
        const worst = Math.max(...g.map((v, i) => Math.abs(v - got.grads[name][i]) / scale));
        expect(worst, `${variant}: ${name}`).toBeLessThan(1e-4);
      }
    }
  }, 240_000);
});

describe.runIf(adapterPossible)('a run on webgpu', () => {
  it('trains through the CLI and records the adapter it ran on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-webgpu-'));
    const cli = (...args: string[]) =>
      run(process.execPath, [WORKBENCH, '--db', join(dir, 'experiments.db'), ...args], {
        cwd: dir,
        maxBuffer: 1 << 26,
      });
    // The smallest model: what is checked is the backend and its adapter (the tutorial's 256 units cost 13 s of
    // CPU on SwiftShader, 16 units 8.6 s); the gradients of every layer type are the case above.
    const set = { max_epochs: 1, hidden_size: 16, embedding_dim: 8 };
    const { stdout } = await cli(...tutorialTrainArgs({ set, args: ['--backend', 'webgpu'] }));
    const { runId, status } = trainResult(stdout);
    expect(status).toBe('completed');
    const shown = JSON.parse((await cli('runs', 'show', String(runId), '--json')).stdout) as {
      backend: string;
      environment: { adapter?: { description: string; software: boolean } };
    };
    expect(shown.backend).toBe('webgpu');
    expect(shown.environment.adapter?.description).toBeTruthy();
    expect(typeof shown.environment.adapter?.software).toBe('boolean');
  }, 240_000);
});

describe('adapter description', () => {
  it('tells a software adapter from a hardware one and names it in one line', () => {
    const swift = describeAdapter({
      info: {
        vendor: 'google',
        architecture: 'swiftshader',
        device: 'swiftshader-device',
        description: 'SwiftShader driver 5.0.0',
        isFallbackAdapter: true,
      },
    });
    expect(swift.software).toBe(true);
    expect(adapterLabel(swift)).toBe('SwiftShader driver 5.0.0 (software)');
    const nvidia = describeAdapter({
      info: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200' },
    });
    expect(nvidia.software).toBe(false);
    expect(adapterLabel(nvidia)).toBe('NVIDIA H200 (nvidia hopper)');
  });

  it('finds Vulkan drivers where the loader looks, and none in an empty environment', () => {
    expect(
      vulkanDriverManifests({
        XDG_DATA_DIRS: '/nonexistent',
        XDG_DATA_HOME: '/nonexistent',
        HOME: '/nonexistent',
      }).filter((f) => !f.startsWith('/etc/')),
    ).toEqual([]);
    expect(
      vulkanDriverManifests({
        VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json',
        XDG_DATA_DIRS: '/nonexistent',
      }),
    ).toContain('/usr/lib/chromium/vk_swiftshader_icd.json');
  });
});
