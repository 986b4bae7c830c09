import { describe, expect, it } from 'vitest';
import { environmentRows, formatValue } from '../src-renderer/src/lib/env-format.ts';

/** The run page's config and environment in words (issue 13 B7, issue 11 #3). */
describe('run environment and config values', () => {
  it('config values without JSON quotes', () => {
    expect([
      formatValue('word'),
      formatValue(0.01),
      formatValue(null),
      formatValue([0.9, 0.999]),
      formatValue(true),
    ]).toEqual(['word', '0.01', 'none', '0.9, 0.999', 'true']);
  });

  it('the backends tried, one per line, with why each was skipped', () => {
    const [row] = environmentRows({
      backend_attempts: [
        {
          name: 'tensorflow-gpu',
          ok: false,
          reason:
            "Cannot find package '@tensorflow/tfjs-node-gpu' imported from /work/main/src-main/core/tf/backend.ts",
        },
        { name: 'webgpu', ok: false, reason: 'no Vulkan driver installed' },
        { name: 'wasm-blas', ok: true, reason: 'libopenblas.so.0' },
      ],
    });
    expect(row.value).toBe('wasm-blas (tensorflow-gpu, webgpu skipped)');
    expect(row.lines).toEqual([
      { ok: false, text: 'tensorflow-gpu: skipped: not installed (@tensorflow/tfjs-node-gpu)' },
      { ok: false, text: 'webgpu: skipped: no Vulkan driver installed' },
      { ok: true, text: 'wasm-blas: used: libopenblas.so.0' },
    ]);
    expect(row.value).not.toMatch(/[{}"]/);
  });

  it('the WebGPU adapter by name when the run recorded one', () => {
    const rows = environmentRows({
      backend: 'webgpu',
      adapter: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', software: false },
    });
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ['backend', 'webgpu'],
      ['adapter', 'NVIDIA H200 (nvidia hopper)'],
    ]);
    expect(rows[1].lines?.[1].text).toBe('device – · hardware');
    const soft = environmentRows({
      adapter: {
        vendor: 'google',
        architecture: 'swiftshader',
        device: 'x',
        description: 'SwiftShader driver 5.0.0',
        software: true,
      },
    });
    expect(soft[0].value).toBe('SwiftShader driver 5.0.0 (software)');
    // not an adapter's shape: shown as data, not named
    expect(environmentRows({ adapter: 'odd' })[0].value).toBe('odd');
  });
});
