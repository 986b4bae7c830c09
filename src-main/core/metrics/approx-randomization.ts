import { Rng } from '../rng.ts';
import { metricStats, significanceSignature, type BootstrapOptions } from './bootstrap.ts';

/**
 * Paired approximate randomisation (Riezler and Maxwell, 2005) as sacreBLEU's `--paired-ar`: under the
 * null hypothesis the two systems are exchangeable, so each trial swaps the baseline's and the
 * system's output of every segment with probability ½ and scores both shuffled corpora; the p-value is
 * how often the shuffled |Δ| reaches the observed |Δ|, with sacreBLEU's +1 correction. 10,000 trials
 * and seed 12345 by default, as sacreBLEU. Each system has its own trials (as sacreBLEU tests each
 * system against the baseline on its own).
 *
 * As in bootstrap.ts, on purpose: the draws come from our seeded mulberry32 (figures agree with
 * sacreBLEU statistically, not digit for digit), and a shuffled |Δ| equal to the observed one counts
 * as extreme (≥), so a system identical to the baseline gets p = 1.
 */
export interface ArComparison {
  name: string;
  score: number;
  /** score - baseline score */
  delta: number;
  p_value: number;
}

export interface MultiArResult {
  metric: 'bleu' | 'chrf';
  baseline: { score: number };
  systems: ArComparison[];
  n_samples: number;
  seed: number;
  /** the metric's signature with ar:N|seed:S */
  signature: string;
}

export function pairedApproxRandomization(
  baselineHyps: readonly string[],
  systems: ReadonlyArray<{ name: string; hyps: readonly string[] }>,
  refs: ReadonlyArray<readonly string[]>,
  opts: BootstrapOptions = {},
): MultiArResult {
  const metric = opts.metric ?? 'bleu';
  const trials = opts.n_samples ?? 10_000;
  const seed = opts.seed ?? 12345;
  const { segStats, score, sumOf } = metricStats(refs, opts);
  const base = segStats(baselineHyps);
  const n = base.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const baseScore = score(sumOf(base, all));
  const comparisons = systems.map(({ name, hyps }) => {
    const sys = segStats(hyps);
    const sysScore = score(sumOf(sys, all));
    const observed = Math.abs(sysScore - baseScore);
    // rows: [baseline segments..., system segments...]; a shuffle picks, per segment, which side goes where
    const rows = [...base, ...sys];
    const rng = new Rng(seed);
    const left = new Int32Array(n);
    const right = new Int32Array(n);
    let extreme = 0;
    for (let t = 0; t < trials; t++) {
      for (let i = 0; i < n; i++) {
        const swap = rng.next() < 0.5;
        left[i] = swap ? n + i : i;
        right[i] = swap ? i : n + i;
      }
      if (Math.abs(score(sumOf(rows, right)) - score(sumOf(rows, left))) >= observed) extreme++;
    }
    return { name, score: sysScore, delta: sysScore - baseScore, p_value: (extreme + 1) / (trials + 1) };
  });
  const signature = significanceSignature(refs.length, opts, `ar:${trials}|seed:${seed}`);
  return { metric, baseline: { score: baseScore }, systems: comparisons, n_samples: trials, seed, signature };
}
