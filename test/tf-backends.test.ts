import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';
import { BACKEND_ORDER } from '../src-main/common/backends.ts';

const run = promisify(execFile);
const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
interface Result {
  backend: string;
  losses: number[];
  products: number[][];
}
const measure = async (backend: string): Promise<Result> =>
  JSON.parse(
    (await run(process.execPath, ['--import', 'tsx', 'test/support/backend-losses.ts', backend])).stdout
      .trim()
      .split('\n')
      .at(-1) as string,
  ) as Result;

describe('backends agree (upstream reports wrong wasm training losses: tfjs #4326, #4500)', () => {
  it('wasm, and wasm with OpenBLAS matmuls where built, train like the cpu reference', async () => {
    const backends = ['cpu', 'wasm', ...(loadBlas().addon ? ['wasm-blas'] : [])];
    const results = await Promise.all(backends.map(measure));
    const [ref, ...others] = results;
    expect(ref.losses[4]).toBeLessThan(ref.losses[0]); // it does learn
    for (const r of others) {
      expect(r.backend).toBe(backends[results.indexOf(r)]);
      r.losses.forEach((l, i) => expect(l).toBeCloseTo(ref.losses[i], 3));
      r.products.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(ref.products[i][j], 3)));
    }
  }, 120_000);

  it("auto tries the registry's backends fastest first; each one it skips says why in one line", async () => {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      '-e',
      "import('./src-main/core/tf/backend.ts').then(async (m) => " +
        "console.log(JSON.stringify((await m.initBackend('auto')).attempts)))",
    ]);
    const attempts = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Array<{
      name: string;
      ok: boolean;
      reason?: string;
    }>;
    // Which backend loads depends on the machine; the order, the stop at the first that loads and the reasons do not.
    expect(attempts.map((a) => a.name)).toEqual(BACKEND_ORDER.slice(0, attempts.length));
    expect(attempts.at(-1)?.ok).toBe(true);
    for (const skipped of attempts.slice(0, -1)) {
      expect(skipped.ok).toBe(false);
      expect(skipped.reason, skipped.name).toMatch(/\S/);
      expect(skipped.reason, skipped.name).not.toContain('\n');
    }
    // A native package that is not installed is skipped, never a crash, and the reason names it.
    for (const [name, pkg] of [
      ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
      ['tensorflow', '@tensorflow/tfjs-node'],
    ]) {
      const a = attempts.find((x) => x.name === name);
      if (a && !installed(pkg)) expect(a.reason).toContain(pkg);
    }
  }, 60_000);
});
