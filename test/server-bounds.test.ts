import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src-main/core/store/db.ts';
import { rendererDir } from '../src-main/server/renderer-build.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { makeRun } from './inference-fixtures.ts';
import { connect, failure, type WsClient } from './support/ws-client.ts';

/**
 * Browser mode under hostile requests: it reads no file of the server's by path
 * (uploads only, and its refusals say nothing about which paths exist), and a
 * decoding request is bounded by the contract and runs off the event loop.
 */
let server: RunningServer;
let api: WsClient;
let runId: number;
const dir = mkdtempSync(join(tmpdir(), 'wb-bounds-'));

beforeAll(async () => {
  const dbPath = join(dir, 'experiments.db');
  const db = openDb(dbPath);
  runId = (await makeRun(db)).runId;
  db.close();
  server = await startServer({ dbPath, rendererDir });
  api = await connect(server.origin, server.token);
});
afterAll(async () => {
  api?.close();
  await server?.close();
});

describe('browser mode reads no server file by path', () => {
  it('refuses path and paths in datasets.import alike, whether or not the file exists', async () => {
    const real = join(dir, 'pairs.tsv');
    writeFileSync(real, 'hello\tनमस्ते\n');
    const answers = [];
    for (const input of [
      { path: real },
      { path: join(dir, 'missing.tsv') },
      { path: '/etc/passwd', skipBad: true },
      { paths: [real] },
      { paths: ['/nope/a.en', '/nope/a.hi'] },
    ]) {
      const err = await failure(api.call('datasets.import', { name: 'stolen', jobId: 'j', ...input }));
      expect(err.code).toBe('unsupported');
      answers.push(err.message);
    }
    // One answer for every path: nothing to tell an existing file from a missing one.
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).not.toContain(real);
    expect((await api.call('datasets.list', {})).map((d) => d.name)).not.toContain('stolen');
    // Uploads still work.
    expect(
      (await api.call('datasets.import', { name: 'upload', fileName: 'a.tsv', content: 'hello\tनमस्ते\n', jobId: 'k' }))
        .pairs,
    ).toBe(1);
  });
});

describe('decoding requests', () => {
  it('are bounded by the contract, each refusal naming its field', async () => {
    const refused = async (channel: string, input: unknown) => (await failure(api.raw(channel, input))).where?.field;
    const texts = (n: number, text = 'Hello.') => Array.from({ length: n }, () => text);
    expect(await refused('playground.translate', { runId, texts: texts(200), settings: { beam_size: 64 } })).toBe(
      'settings.beam_size',
    );
    expect(await refused('playground.translate', { runId, texts: texts(201) })).toBe('texts');
    expect(await refused('playground.translate', { runId, texts: ['x'.repeat(100_000)] })).toBe('texts.0');
    expect(
      await refused('playground.translate', { runId, texts: ['Hello.'], settings: { prefix: 'ab '.repeat(4000) } }),
    ).toBe('settings.prefix');
    expect(
      await refused('playground.translate', { runId, texts: ['Hello.'], settings: { max_output_length: 1e6 } }),
    ).toBe('settings.max_output_length');
    expect(
      await refused('playground.translate', { runId, texts: texts(8), settings: { beam_size: 64, return_tree: true } }),
    ).toBe('settings.return_tree');
    expect(await refused('compare.translations', { runIds: [runId], sources: ['y'.repeat(100_000)] })).toBe(
      'sources.0',
    );
    expect(await refused('compare.bootstrap', { baseline: runId, system: runId, maxSentences: 1e7 })).toBe(
      'maxSentences',
    );
    // What the playground sends stays allowed: one text with a wide beam and its search tree.
    const [t] = await api.call('playground.translate', {
      runId,
      texts: ['Hello.'],
      settings: { beam_size: 64, n_best: 3, return_tree: true },
    });
    expect(t.hypotheses).toHaveLength(3);
    expect(await api.call('compare.translations', { runIds: [runId], sources: ['Hello.', 'Thank you.'] })).toEqual([
      { runId, translations: [expect.any(String), expect.any(String)] },
    ]);
  });

  it('run off the event loop: while 200 sentences decode with beam 5, runs.list answers at once', async () => {
    const texts = Array.from(
      { length: 200 },
      (_, i) => `Where is the station? My name is John ${i}, thank you. How are you?`,
    );
    let done = false;
    const translating = api
      .call('playground.translate', { runId, texts, settings: { beam_size: 5, max_output_length: 60 } })
      .finally(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    const latencies: number[] = [];
    let answeredMeanwhile = 0;
    while (!done) {
      const t0 = performance.now();
      await api.call('runs.list', {});
      latencies.push(performance.now() - t0);
      if (!done) answeredMeanwhile++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await translating).length).toBe(200);
    // Typically a few ms; the max allows for a loaded machine (the suite runs files side by side on few cores).
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
    expect(sorted[sorted.length - 1]).toBeLessThan(500);
    expect(answeredMeanwhile).toBeGreaterThan(0);

    // jobs.cancel stops a decoding at once.
    const cancelled = failure(
      api.call('playground.translate', { runId, texts, settings: { beam_size: 5 }, jobId: 'decode-1' }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await api.call('jobs.cancel', { jobId: 'decode-1' })).toEqual({ cancelled: true });
    expect(await cancelled).toMatchObject({ code: 'cancelled' });
  }, 60_000);
});
