import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * An addon built from older native/ sources (a checkout updated without `npm rebuild`) lacks exports
 * the bindings call: it is refused when loaded, with the reason, so wasm-blas is skipped instead of
 * failing mid-training on a missing kernel.
 */
describe('native addon interface version', () => {
  it('refuses an addon built for another interface version, saying to rebuild it', async () => {
    process.env.WORKBENCH_NATIVE = fileURLToPath(new URL('./fixtures/stale-blas-addon.cjs', import.meta.url));
    const { loadBlas, ADDON_INTERFACE_VERSION } = await import('../src-main/core/tf/native-blas.ts');
    const { addon, reason } = loadBlas();
    delete process.env.WORKBENCH_NATIVE; // loadBlas has read it (and caches its answer)
    expect(addon).toBeNull();
    expect(reason).toBe(
      `native/ addon built for interface 1, this checkout needs ` +
        `${ADDON_INTERFACE_VERSION}: rebuild it (npm rebuild or npm ci)`,
    );
  });
});
