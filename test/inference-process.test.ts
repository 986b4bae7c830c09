import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_ORDER } from '../src-main/common/backends.ts';
import type { BackendsDto } from '../src-main/common/contract.ts';
import { InferenceProcess } from '../src-main/core/inference/inference-process.ts';
import type { ModelRef } from '../src-main/core/inference/protocol.ts';
import { resolveCheckpoint } from '../src-main/core/inference/resolve-checkpoint.ts';
import type { Translation } from '../src-main/core/inference/translator.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/**
 * The inference process behind playground and compare: a crash fails the
 * request with a typed error and the next request starts a new process; a
 * cancelled request ends at once, queued ones are dropped.
 */
let model: ModelRef;
const inference = new InferenceProcess();

beforeAll(async () => {
  const { db } = tempDb();
  const { runId } = await makeRun(db);
  model = { runId, checkpoint: resolveCheckpoint(db, runId, 'best') };
});
afterAll(() => inference.close());

const many = {
  kind: 'translate' as const,
  texts: Array.from({ length: 200 }, (_, i) => `Where is the station? My name is John ${i}.`),
  settings: { beam_size: 5, max_output_length: 60 },
};
const one = { kind: 'translate' as const, texts: ['Hello.'], settings: {} };
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e as { code?: string }).code ?? String(e),
  );
const started = async () => {
  while (inference.pid === undefined) await new Promise((r) => setTimeout(r, 10));
  return inference.pid;
};

describe('the inference process', () => {
  it('translates, and answers a crash with a typed error, then starts again', async () => {
    const [t] = await inference.run<Translation[]>({ ...one, model });
    expect(t.hypotheses.length).toBe(1);
    const first = await started();
    const crashed = inference.run({ ...many, model });
    await new Promise((r) => setTimeout(r, 100));
    process.kill(first, 'SIGKILL');
    const err = await crashed.then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err).toMatchObject({ code: 'internal' });
    expect(err?.message).toMatch(/inference process was killed \(SIGKILL\).*next request starts a new one/);
    expect((await inference.run<Translation[]>({ ...one, model }))[0].hypotheses.length).toBe(1);
    expect(inference.pid).not.toBe(first);
  }, 60_000);

  it('cancels the running request at once and drops queued ones; the next request runs', async () => {
    const running = new AbortController();
    const queued = new AbortController();
    const a = codeOf(inference.run({ ...many, model }, running.signal));
    const b = codeOf(inference.run({ ...one, model }, queued.signal));
    const c = inference.run<Translation[]>({ ...one, model });
    queued.abort();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    running.abort();
    expect(await a).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(100);
    expect(await b).toBe('cancelled');
    expect((await c)[0].hypotheses.length).toBe(1);
  }, 60_000);

  it(
    'refuses, before decoding, what could decode past its ' + 'budget: steps of a sentence, steps x beams, tree nodes',
    async () => {
      const refused = (texts: string[], settings: object) =>
        inference.run({ kind: 'translate', model, texts, settings }).then(
          () => null,
          (e: { code: string; where: { field: string } }) => `${e.code} ${e.where.field}`,
        );
      const long = Array.from({ length: 150 }, () => 'hello').join(' ');
      // a ratio: 1,510 steps
      expect(await refused([long], { max_output_length: 10 })).toBe('bad_input settings.max_output_length');
      const sixteen = Array.from({ length: 16 }, () => 'Where is the station?');
      expect(await refused(sixteen, { beam_size: 64, max_output_length: 256 })).toBe('bad_input settings.beam_size');
      expect(await refused(['Hello.'], { beam_size: 64, max_output_length: 256, return_tree: true })).toBe(
        'bad_input settings.return_tree',
      );
      // The largest allowed requests still take seconds.
      for (const [texts, settings] of [
        [sixteen.slice(0, 4), { beam_size: 64, max_output_length: 256, min_output_length: 256 }],
        [['Hello.'], { beam_size: 64, return_tree: true, max_output_length: 24, min_output_length: 24 }],
      ] as const) {
        const t0 = performance.now();
        await inference.run({ kind: 'translate', model, texts: [...texts], settings });
        expect(performance.now() - t0).toBeLessThan(10_000);
      }
    },
    60_000,
  );

  it(
    'says which backend auto picks here and which WebGPU adapter ' +
      '--backend webgpu would use, without switching to it',
    async () => {
      const b = await inference.run<BackendsDto>({ kind: 'backends' });
      expect(b.attempts.at(-1)).toMatchObject({ name: b.auto, ok: true });
      // auto stops at the first backend that loads: webgpu was tried (its reason if skipped) unless a faster one loaded
      const tried = b.attempts.find((a) => a.name === 'webgpu');
      const order: readonly string[] = BACKEND_ORDER;
      if (order.indexOf(b.auto) >= order.indexOf('webgpu')) expect(tried).toBeDefined();
      else expect(tried).toBeUndefined();
      // Here: no GPU, chromium's SwiftShader (what .ci/run installs); on a GPU machine the hardware adapter.
      expect(b.webgpu.label ?? b.webgpu.reason).toBeTruthy();
      if (b.webgpu.adapter?.software) expect(b.webgpu.label).toMatch(/\(software\)$/);
      const [t] = await inference.run<Translation[]>({ ...one, model }); // still decoding on the backend auto picked
      expect(t.hypotheses.length).toBe(1);
    },
  );
});
