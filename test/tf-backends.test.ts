import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadBlas } from '../src-main/core/tf/native-blas.ts';

const run = promisify(execFile);
interface Result { backend: string; losses: number[]; products: number[][] }
const measure = async (backend: string): Promise<Result> =>
  JSON.parse((await run(process.execPath, ['--import', 'tsx', 'test/support/backend-losses.ts', backend])).stdout.trim().split('\n').at(-1) as string) as Result;

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

  it('a native backend that cannot load is skipped with a one-line reason', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', "import('./src-main/core/tf/backend.ts').then(async (m) => console.log(JSON.stringify((await m.initBackend('auto')).attempts)))"]);
    const attempts = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Array<{ name: string; ok: boolean; reason?: string }>;
    expect(attempts[0]).toMatchObject({ name: 'tensorflow-gpu', ok: false });
    expect(attempts[0].reason).toMatch(/tfjs-node-gpu/);
    expect(attempts.at(-1)?.ok).toBe(true);
    expect(attempts.every((a) => !a.reason || !a.reason.includes('\n'))).toBe(true);
  }, 60_000);
});
