import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { schemas, type Channel } from '../src-main/common/contract.ts';
import type { SerializedError } from '../src-main/common/errors.ts';
import type { WorkerProcess } from '../src-main/core/runs/launcher.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { rendererDir } from '../src-main/server/renderer-build.ts';
import { startServer, type RunningServer } from '../src-main/server/server.ts';
import { Rng } from '../src-main/core/rng.ts';
import { makeRun } from './inference-fixtures.ts';
import { payloads, type Vocabulary } from './support/fuzz-payloads.ts';
import { CallError, connect, type WsClient } from './support/ws-client.ts';

/**
 * Every channel of the contract, fuzzed over the real WebSocket server with
 * seeded payloads read off its schema (valid, broken at one field's edges,
 * junk, random JSON), and junk frames: the server never crashes, answers every
 * request with a result or a typed error that is not "internal", and answers
 * a health request (app.info on another socket) within a second throughout.
 * A run's trainer is a stub that exits at once (a valid runs.launch must not
 * start a real training); decoding runs in the real inference process.
 */
const SEED = 20_240_610;
const PER_CHANNEL = 40;
const TYPED = new Set(['bad_input', 'not_found', 'conflict', 'unsupported', 'cancelled']);

let server: RunningServer;
let api: WsClient;
let health: WsClient;
// Run 1 (with a split of "fz") and dataset "fz" are what valid payloads work on; the channels that delete
// get run 2 and dataset "victim" instead, so the fuzz does not delete what the other channels need.
const vocab: Vocabulary = {
  strings: ['fz', 'builtin:tutorial', 'default', 'Hello.', 'tutorial', 'bleu', 'train/loss', 'j1'],
  ids: [1, 1, 1, 2, 999],
};
const victims: Vocabulary = { strings: ['victim', 'nope'], ids: [2, 999] };
const DESTRUCTIVE = new Set<Channel>(['runs.delete', 'datasets.delete']);

const stubTrainer = (): WorkerProcess => ({
  pid: undefined,
  send: () => {},
  kill: () => {},
  onMessage: () => {},
  onExit: (cb) => setImmediate(() => cb(1, null, 'fuzz: no trainer here')),
});

beforeAll(async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-fuzz-')), 'experiments.db');
  const db = openDb(dbPath);
  const { runId } = await makeRun(db);
  await makeRun(db);
  server = await startServer({ dbPath, rendererDir, spawn: stubTrainer });
  api = await connect(server.origin, server.token);
  health = await connect(server.origin, server.token);
  const content = 'Hello.\tनमस्ते।\nThank you.\tधन्यवाद।\nHow are you?\tआप कैसे हैं?\nI am fine.\tमैं ठीक हूँ।\n';
  await api.call('datasets.import', { name: 'fz', fileName: 'fz.tsv', content, jobId: 'seed' });
  await api.call('datasets.import', { name: 'victim', fileName: 'v.tsv', content, jobId: 'seed2' });
  const split = await api.call('datasets.split', { name: 'fz', seed: 1, valid_ratio: 0.25, test_ratio: 0.25 });
  db.prepare('UPDATE runs SET split_id = ? WHERE id = ?').run(split.id, runId); // compare.bootstrap tests on it
  db.close();
});
afterAll(async () => {
  api?.close();
  health?.close();
  await server?.close();
});

/** Frames a page could send that are not requests at all. */
async function junkFrames(origin: string, token: string): Promise<void> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${token}`, { origin });
  await new Promise((r) => ws.once('open', r));
  for (const frame of [
    '',
    'not json',
    '[]',
    'null',
    '42',
    '{"id":"x"}',
    '{"channel":"app.info"}',
    '{"id":1e400,"channel":"app.info"}',
    Buffer.from([0xff, 0x00, 0xfe]),
  ])
    ws.send(frame);
  ws.close();
}

describe('fuzzing every contract channel over the socket', () => {
  it('no crash, every error typed, health answered within a second', async () => {
    await junkFrames(server.origin, server.token);
    const healthMs: number[] = [];
    let fuzzing = true;
    const monitor = (async () => {
      while (fuzzing) {
        const t0 = performance.now();
        await health.call('app.info', {});
        healthMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const untyped: Array<{ channel: string; input: string; error: SerializedError }> = [];
    const counts = { ok: 0, typed: 0 };
    const channels = Object.keys(schemas) as Channel[];
    // Unknown and hostile channel names, and wrong envelope types, go through the same door.
    const extra: Array<[unknown, unknown]> = [
      ['datasets.drop', {}],
      ['__proto__', {}],
      ['constructor', {}],
      ['toString', {}],
      [42, {}],
      [null, {}],
      [['app.info'], {}],
    ];
    // Valid but hostile: a backtracking pattern, and the largest decodings the bounds allow.
    extra.push(['pairs.list', { name: 'fz', search: '^(\\S+\\s?)*#$', regex: true }]);
    extra.push([
      'playground.translate',
      {
        runId: 1,
        texts: ['Hello.'],
        settings: { beam_size: 64, n_best: 64, return_tree: true, return_topk: 20, max_output_length: 256 },
      },
    ]);
    extra.push([
      'playground.translate',
      {
        runId: 1,
        texts: Array.from({ length: 16 }, () => 'Where is the station?'),
        settings: { beam_size: 64, max_output_length: 256 },
      },
    ]);
    const requests: Array<[unknown, unknown]> = [...extra];
    channels.forEach((c, i) => {
      for (const p of payloads(schemas[c], SEED + i, DESTRUCTIVE.has(c) ? victims : vocab, PER_CHANNEL))
        requests.push([c, p]);
    });
    new Rng(SEED).shuffle(requests); // channels interleaved: each meets the store as the others left it
    const t0 = performance.now();
    for (const [channel, input] of requests) {
      try {
        await Promise.race([
          api.raw(channel as string, input),
          new Promise((_, reject) =>
            setTimeout(() => reject(new CallError({ code: 'internal', message: 'no reply in 15 s' })), 15_000),
          ),
        ]);
        counts.ok++;
      } catch (err) {
        if (!(err instanceof CallError)) throw err;
        if (TYPED.has(err.error.code)) counts.typed++;
        else
          untyped.push({
            channel: String(channel),
            input: JSON.stringify(input)?.slice(0, 200) ?? 'undefined',
            error: err.error,
          });
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    fuzzing = false;
    await monitor;

    expect(untyped).toEqual([]);
    expect(counts.ok + counts.typed).toBe(requests.length);
    expect(counts.ok).toBeGreaterThan(requests.length / 20); // the valid payloads reach the handlers
    expect(healthMs.length).toBeGreaterThan(10);
    expect(Math.max(...healthMs)).toBeLessThan(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(server.url)).status).toBe(200);
    expect(seconds).toBeLessThan(30);
  }, 90_000);
});
