import { describe, expect, it } from 'vitest';
import { etaSquared, parameterImportance, pearson, ranks, spearman } from '../src-renderer/src/lib/importance.ts';

describe('parameter importance', () => {
  it('computes η² as a one-way ANOVA does', () => {
    // groups a: 1,3 (mean 2), b: 5,7 (mean 6); grand mean 4; SS_between 16, SS_total 20
    expect(etaSquared(['a', 'a', 'b', 'b'], [1, 3, 5, 7])).toBeCloseTo(0.8, 12);
    expect(etaSquared(['a', 'b'], [2, 2])).toBe(0);
  });

  it('ranks ties at their mean rank, and Spearman sees a monotone relation as 1', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 10, 100, 1000], [1, 2, 3, 4])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [3, 2, 1])).toBeNull();
  });

  it('ranks the parameter that sets BLEU above the seed, skips runs without a result and fixed parameters', () => {
    const runs: Array<{ id: number; config: Record<string, unknown>; bleu: number | null }> = [];
    let id = 1;
    for (const hidden of [128, 256, 512])
      for (const seed of [1, 2, 3])
        runs.push({
          id: id++,
          config: { hidden_size: hidden, random_seed: seed, rnn_type: 'lstm', lr: 0.001 },
          bleu: hidden / 10 + seed * 0.1,
        });
    runs.push({ id: id++, config: { hidden_size: 1024, random_seed: 1, rnn_type: 'gru', lr: 0.001 }, bleu: null });
    const imp = parameterImportance(runs, (r) => r.bleu, ['hidden_size', 'random_seed', 'rnn_type', 'lr']);
    expect(imp.map((i) => i.key)).toEqual(['hidden_size', 'random_seed']);
    expect(imp[0].eta2).toBeGreaterThan(0.99);
    expect(imp[0].spearman).toBeGreaterThan(0.9);
    expect(imp[0]).toMatchObject({ levels: 3, n: 9 });
    expect(imp[0].eta2 + imp[1].eta2).toBeCloseTo(1, 9); // a balanced grid: the two effects add up
  });

  it('has no Spearman for a categorical parameter', () => {
    const runs = [
      { id: 1, config: { rnn_type: 'gru' } },
      { id: 2, config: { rnn_type: 'lstm' } },
    ];
    expect(parameterImportance(runs, (r) => r.id, ['rnn_type'])[0]).toMatchObject({ eta2: 1, spearman: null });
  });
});
