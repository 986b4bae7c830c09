import { describe, expect, it } from 'vitest';
import { sweepRunCount } from '../src-main/common/sweep-values.ts';
import { expandSweep } from '../src-main/core/runs/sweep.ts';

/** How many runs a sweep makes: what the launch form shows, and what the core refuses before expanding. */
const axis = (key: string, n: number) => ({ key, values: Array.from({ length: n }, (_, i) => i + 1) });

describe('sweepRunCount', () => {
  it('a grid is the product of its axes, random N is N; each once per seed', () => {
    const grid = [axis('hidden_size', 3), axis('dropout', 2)];
    expect(sweepRunCount({ grid })).toBe(6);
    expect(sweepRunCount({ grid, seeds: [1, 2, 3] })).toBe(18);
    expect(sweepRunCount({ grid, random: 4, seeds: [7, 8] })).toBe(8);
    expect(sweepRunCount({ grid: [], seeds: [1, 2] })).toBe(2);
  });
});

describe('expandSweep', () => {
  it('refuses a sweep over the limit by its count, before making a single combination', () => {
    // 100^6 combinations: expanded first (as before), the grid ran the process out of memory
    const keys = ['hidden_size', 'embedding_dim', 'num_layers', 'batch_size', 'learning_rate', 'dropout'];
    const spec = { dataset: 'builtin:sample', preset: 'tutorial', grid: keys.map((k) => axis(k, 100)) };
    expect(() => expandSweep(spec)).toThrow(/the sweep has 1000000000000 runs; at most 1000/);
  });
});
