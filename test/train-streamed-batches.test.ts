import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src-main/core/rng.ts';
import { epochBatches, makeBatch, type BatchOptions, type Example } from '../src-main/core/train/batching.ts';
import { EncodedExamples } from '../src-main/core/train/encoded-examples.ts';

const dir = mkdtempSync(join(tmpdir(), 'wb-streamed-'));

/** Pairs of 1–40 tokens on each side with ids up to maxId, ids not in order (as a split's are). */
function examples(n: number, maxId: number): Example[] {
  const rng = new Rng(7);
  const ids = (len: number) => Array.from({ length: len }, () => 4 + rng.int(maxId - 3));
  return Array.from({ length: n }, (_, i) => ({
    id: 1000 + ((i * 7919) % 5000),
    src: ids(1 + rng.int(40)),
    trg: ids(1 + rng.int(40)),
  }));
}

describe('batches read from the encoded file', () => {
  const cases: Array<[string, number, BatchOptions]> = [
    ['sentence batches, uint16 ids', 8000, { batchSize: 16, batchType: 'sentence', seed: 3, shuffle: true }],
    [
      'token batches, int32 ids (a vocabulary past 65,536)',
      90_000,
      { batchSize: 300, batchType: 'token', seed: 5, shuffle: true },
    ],
    ['validation order (no shuffle)', 8000, { batchSize: 10, batchType: 'sentence', seed: 0, shuffle: false }],
  ];
  for (const [name, maxId, opts] of cases) {
    it(`are the batches of the examples in memory, epoch by epoch: ${name}`, () => {
      const inMemory = examples(300, maxId);
      const file = EncodedExamples.write(join(dir, `${maxId}-${opts.batchType}.bin`), inMemory, maxId);
      try {
        expect(file.size).toBe(inMemory.length);
        for (const epoch of [1, 2]) {
          const plan = epochBatches(inMemory, epoch, opts);
          expect(epochBatches(file, epoch, opts)).toEqual(plan);
          // Plain arrays: one comparison of all the epoch's batches (typed arrays compare slowly).
          const flat = (rows: Example[][]) => rows.map((b) => b.map((e) => [e.id, ...e.src, -1, ...e.trg]));
          expect(flat(plan.map((idx) => file.read(idx)))).toEqual(flat(plan.map((idx) => idx.map((i) => inMemory[i]))));
          expect(plan.map((idx) => makeBatch(file, idx).nTokens)).toEqual(
            plan.map((idx) => makeBatch(inMemory, idx).nTokens),
          );
        }
      } finally {
        file.close();
      }
    });
  }

  it('keeps 24 bytes a pair in memory, and its file goes when closed', () => {
    const path = join(dir, 'closed.bin');
    const file = EncodedExamples.write(path, examples(1000, 8000), 8000);
    expect(file.indexBytes).toBe(24 * 1000);
    file.close();
    expect(existsSync(path)).toBe(false);
    expect(() => file.read([0])).toThrow(/closed/);
  });
});
