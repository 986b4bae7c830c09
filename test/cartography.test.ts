import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig, parseRunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { listPairs } from '../src-main/core/data/pairs.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { Rng } from '../src-main/core/rng.ts';
import { readCartography, recordDynamics, summarizeCartography } from '../src-main/core/store/cartography.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { createRun } from '../src-main/core/store/runs.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import type { Example } from '../src-main/core/train/batching.ts';
import { sentenceDynamics, type BatchDynamics } from '../src-main/core/train/cartography.ts';
import { sequenceCrossEntropy } from '../src-main/core/train/loss.ts';
import { Trainer } from '../src-main/core/train/trainer.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('sentenceDynamics', () => {
  it("is each sentence's mean gold probability and share of gold tokens ranked first, padding ignored", () => {
    // [2 sentences, 3 positions, vocabulary 4]; PAD_ID is 0: sentence 2 has one real token.
    const logits = [
      [
        [0, 2, 0, 0],
        [0, 0, 1, 3],
        [0, 0, 0, 0],
      ],
      [
        [0, 0, 0, 1],
        [5, 5, 5, 5],
        [5, 5, 5, 5],
      ],
    ];
    const gold = [
      [1, 2, 3],
      [3, 0, 0],
    ];
    const softmax = (row: number[]) => row.map((x) => Math.exp(x) / row.reduce((s, y) => s + Math.exp(y), 0));
    const p = (b: number, t: number) => softmax(logits[b][t])[gold[b][t]];
    const [prob, correct] = tf.tidy(() => {
      const l = tf.tensor3d(logits);
      const g = tf.tensor2d(gold, [2, 3], 'int32');
      const ce = sequenceCrossEntropy(l, g, 0, true);
      const d = sentenceDynamics(l, g, ce.tokenNll as tf.Tensor1D);
      return [d.goldProb.arraySync(), d.correct.arraySync()];
    });
    expect(prob[0]).toBeCloseTo((p(0, 0) + p(0, 1) + p(0, 2)) / 3, 5);
    expect(prob[1]).toBeCloseTo(p(1, 0), 5);
    // sentence 1: gold 1 is the argmax at t=0, gold 2 is not at t=1, gold 3 ties at t=2 (argMax takes the first)
    expect(correct[0]).toBeCloseTo(1 / 3, 5);
    expect(correct[1]).toBe(1);
  });

  it('costs nothing when off: the loss returns no per-token tensor and the same sums', () => {
    tf.tidy(() => {
      const l = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 1) as tf.Tensor3D;
      const g = tf.tensor2d([1, 2, 0, 3, 4, 5], [2, 3], 'int32');
      const off = sequenceCrossEntropy(l, g, 0.1);
      const on = sequenceCrossEntropy(l, g, 0.1, true);
      expect(off.tokenNll).toBeUndefined();
      expect(on.sum.arraySync()).toBe(off.sum.arraySync());
      expect(tf.sum(on.tokenNll as tf.Tensor).arraySync()).toBeCloseTo(off.nll.arraySync() as number, 4);
    });
  });
});

describe('the trainer with cartography', () => {
  const V = 14;
  function examples(n: number): Example[] {
    const rng = new Rng(4);
    const ids = (len: number) => Array.from({ length: len }, () => 4 + rng.int(V - 4));
    return Array.from({ length: n }, (_, i) => ({ id: 100 + i, src: ids(1 + rng.int(5)), trg: ids(1 + rng.int(6)) }));
  }
  async function train(over: Partial<RunConfigInput>) {
    const c = buildRunConfig({
      overrides: {
        dataset: 'x',
        model_type: 'transformer',
        embedding_dim: 8,
        hidden_size: 8,
        num_heads: 2,
        ff_size: 16,
        batch_size: 4,
        max_epochs: 2,
        print_valid_sents: 0,
        max_valid_sents: 2,
        ...over,
      },
    });
    const model = buildModel(c, V, V, 1);
    const seen: Array<{ epoch: number; d: BatchDynamics }> = [];
    const losses: number[] = [];
    const trainer = new Trainer({
      model,
      pipeline: TextPipeline.fit([{ source: 'a', target: 'x' }], c),
      config: c,
      train: examples(10),
      valid: { examples: examples(2), sources: ['a', 'b'], references: ['x', 'y'], sampleIdx: [] },
      runDir: mkdtempSync(join(tmpdir(), 'wb-cartography-')),
      callbacks: { onStep: (r) => losses.push(r.loss), onExampleDynamics: (epoch, d) => seen.push({ epoch, d }) },
    });
    await trainer.run();
    trainer.dispose();
    model.dispose();
    return { seen, losses };
  }

  it('reports every training pair once per epoch, with probabilities, and trains exactly as without it', async () => {
    const on = await train({ cartography: true });
    const off = await train({});
    expect(off.seen).toEqual([]);
    for (const epoch of [1, 2]) {
      const ids = on.seen.filter((s) => s.epoch === epoch).flatMap((s) => s.d.ids);
      expect(ids.sort((a, b) => a - b)).toEqual(examples(10).map((e) => e.id));
    }
    for (const { d } of on.seen) {
      for (const p of [...d.goldProb, ...d.correct]) expect(p >= 0 && p <= 1).toBe(true);
    }
    expect(on.losses).toEqual(off.losses);
  });
});

describe('a run data map in the store', () => {
  it('summarises epochs into confidence, variability, correctness, regions; the pair table sorts by them', async () => {
    const db = openDb(':memory:');
    const ds = await getDatasetByName(db, 'builtin:tutorial');
    const run = createRun(db, { config: parseRunConfig({ dataset: ds.name, cartography: true }), datasetId: ds.id });
    const ids = listPairs(db, ds.id, { limit: 10 }).rows.map((r) => r.id);
    expect(ids.length).toBe(6);
    // per pair: its gold probability in epochs 1 and 2
    const [a, b, c, d, e, f] = ids;
    const probs: Record<number, [number, number]> = {
      [a]: [0.9, 0.9],
      [b]: [0.1, 0.1],
      [c]: [0.1, 0.9],
      [d]: [0.8, 0.8],
      [e]: [0.2, 0.2],
      [f]: [0.9, 0.1],
    };
    for (const epoch of [1, 2]) {
      const goldProb = Float32Array.from(ids.map((id) => probs[id][epoch - 1]));
      const correct = Float32Array.from(ids.map((id) => (probs[id][epoch - 1] > 0.5 ? 1 : 0)));
      recordDynamics(db, run.id, epoch, { ids, goldProb, correct });
    }
    expect(summarizeCartography(db, run.id)).toEqual({ pairs: 6 });
    const map = readCartography(db, run.id, { region: 'hard' });
    expect(map.regions).toEqual({ easy: 2, ambiguous: 2, hard: 2 });
    expect(map.epochs).toBe(2);
    expect(map.rows.map((r) => r.pairId)).toEqual([b, e]);
    const cRow = readCartography(db, run.id, { pairIds: [c] }).rows[0];
    expect(cRow).toMatchObject({ region: 'ambiguous', correctness: 0.5, epochs: 2 });
    expect(cRow.confidence).toBeCloseTo(0.5, 6);
    expect(cRow.variability).toBeCloseTo(0.4, 6);
    expect(cRow.source.length).toBeGreaterThan(0);

    const order = (q: Parameters<typeof listPairs>[2]) =>
      listPairs(db, ds.id, { ...q, runId: run.id }).rows.map((r) => r.id);
    expect(order({ sort: 'confidence' }).slice(0, 2)).toEqual([b, e]);
    expect(order({ sort: 'variability', desc: true }).slice(0, 2).sort()).toEqual([c, f].sort());
    expect(order({ region: 'easy' }).sort()).toEqual([a, d].sort());
    expect(listPairs(db, ds.id, { region: 'easy', runId: run.id }).total).toBe(2);
    expect(() => listPairs(db, ds.id, { region: 'easy' })).toThrow(/needs a run/);
  });
});
