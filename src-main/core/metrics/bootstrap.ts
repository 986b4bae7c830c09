import { Rng } from '../rng.ts';
import { bleuSegmentStats, scoreBleuStats, STATS_LEN, type BleuOptions } from './bleu.ts';
import { chrfFromStats, chrfSignature, segmentStats, type ChrfOptions } from './chrf.ts';

/**
 * Paired bootstrap resampling (Koehn, 2004) as sacreBLEU's `--paired-bs`:
 * draw the test set's segments with replacement `n_samples` times; on each
 * draw score the baseline and every system on the *same* segments. Per system
 * this gives the bootstrap mean and 95% interval (sacreBLEU's "μ ± CI")
 * and a p-value for "the system differs from the baseline": how often the
 * centred resampled |Δ| reaches the observed |Δ|.
 *
 * Differences from sacreBLEU, on purpose: the draws come from our seeded
 * mulberry32, not numpy's PCG64, so figures agree statistically, not digit
 * for digit; and a resampled |Δ| equal to the observed one counts as extreme
 * (≥, sacreBLEU uses >), so a system identical to the baseline gets p = 1
 * instead of sacreBLEU's 1/(n+1).
 */
export interface BootstrapOptions {
  /** resamples (sacreBLEU's default 1000) */
  n_samples?: number;
  /** sacreBLEU's default seed is 12345 */
  seed?: number;
  metric?: 'bleu' | 'chrf';
  bleu?: BleuOptions;
  chrf?: ChrfOptions;
}

export interface SystemEstimate {
  /** the score on the whole test set */
  score: number;
  /** mean over resamples */
  mean: number;
  /** 95% interval of the resamples: sacreBLEU's bounds, the (n/40)-th lowest and highest */
  ci: [number, number];
  /** sacreBLEU's "± CI": half the width of that interval */
  ci_half: number;
}

export interface SystemComparison extends SystemEstimate {
  name: string;
  /** score - baseline score */
  delta: number;
  p_value: number;
}

export interface MultiBootstrapResult {
  metric: 'bleu' | 'chrf';
  baseline: SystemEstimate;
  systems: SystemComparison[];
  n_samples: number;
  seed: number;
  /** the metric's signature with bs:N|seed:S, as sacreBLEU prints it */
  signature: string;
}

export interface BootstrapResult {
  metric: 'bleu' | 'chrf';
  baseline: SystemEstimate;
  system: SystemEstimate;
  delta: number;
  p_value: number;
  n_samples: number;
  signature: string;
}

/** Compares several systems with one baseline on the same resamples. */
export function pairedBootstrapMany(
  baselineHyps: readonly string[],
  systems: ReadonlyArray<{ name: string; hyps: readonly string[] }>,
  refs: ReadonlyArray<readonly string[]>,
  opts: BootstrapOptions = {},
): MultiBootstrapResult {
  const metric = opts.metric ?? 'bleu';
  const nSamples = opts.n_samples ?? 1000;
  const seed = opts.seed ?? 12345;
  const { segStats, score, sumOf } = metricStats(refs, opts);

  const base = segStats(baselineHyps);
  const n = base.length;

  // The same draws for every system: index sets [nSamples][n].
  const rng = new Rng(seed);
  const draws: Int32Array[] = [];
  for (let s = 0; s < nSamples; s++) draws.push(Int32Array.from({ length: n }, () => rng.int(n)));
  const all = Int32Array.from({ length: n }, (_, i) => i);

  const baseScore = score(sumOf(base, all));
  const baseSamples = draws.map((idx) => score(sumOf(base, idx)));
  const comparisons = systems.map(({ name, hyps }) => {
    const stats = segStats(hyps);
    const sysScore = score(sumOf(stats, all));
    const samples = draws.map((idx) => score(sumOf(stats, idx)));
    const absDiffs = samples.map((v, i) => Math.abs(v - baseSamples[i]));
    const meanAbs = absDiffs.reduce((a, b) => a + b, 0) / nSamples;
    const observed = Math.abs(sysScore - baseScore);
    const extreme = absDiffs.filter((d) => d - meanAbs >= observed).length;
    return {
      name,
      ...estimate(sysScore, samples),
      delta: sysScore - baseScore,
      p_value: (extreme + 1) / (nSamples + 1),
    };
  });

  const signature = significanceSignature(refs.length, opts, `bs:${nSamples}|seed:${seed}`);
  return {
    metric,
    baseline: estimate(baseScore, baseSamples),
    systems: comparisons,
    n_samples: nSamples,
    seed,
    signature,
  };
}

/**
 * Per-segment sufficient statistics of a metric, and the corpus score of any sum of them: a resample
 * (bootstrap) or a shuffle (approximate randomisation) only re-sums rows, never re-tokenises.
 */
export function metricStats(refs: ReadonlyArray<readonly string[]>, opts: BootstrapOptions) {
  const metric = opts.metric ?? 'bleu';
  const segStats = (hyps: readonly string[]): number[][] =>
    metric === 'bleu'
      ? bleuSegmentStats(hyps, refs, opts.bleu)
      : hyps.map((h, i) =>
          segmentStats(
            h,
            refs.map((r) => r[i]),
            opts.chrf,
          ),
        );
  const score = (sum: number[]) =>
    metric === 'bleu' ? scoreBleuStats(sum, refs.length, opts.bleu).score : chrfFromStats(sum, opts.chrf);
  const sumOf = (rows: number[][], idx: ArrayLike<number>) => {
    const width = rows[0]?.length ?? (metric === 'bleu' ? STATS_LEN : 0);
    const sum = new Array<number>(width).fill(0);
    for (let k = 0; k < idx.length; k++) {
      const row = rows[idx[k]];
      for (let j = 0; j < width; j++) sum[j] += row[j];
    }
    return sum;
  };
  return { segStats, score, sumOf };
}

/** The metric's signature with the test's settings after nrefs (`bs:1000|seed:12345`), as sacreBLEU prints it. */
export function significanceSignature(nRefs: number, opts: BootstrapOptions, test: string): string {
  const plain =
    (opts.metric ?? 'bleu') === 'bleu'
      ? scoreBleuStats(new Array<number>(STATS_LEN).fill(0), nRefs, opts.bleu).signature
      : chrfSignature(nRefs, opts.chrf);
  return plain.replace(/^(nrefs:[^|]*)\|/, `$1|${test}|`);
}

/** One system against the baseline. */
export function pairedBootstrap(
  baselineHyps: readonly string[],
  systemHyps: readonly string[],
  refs: ReadonlyArray<readonly string[]>,
  opts: BootstrapOptions = {},
): BootstrapResult {
  return firstSystem(pairedBootstrapMany(baselineHyps, [{ name: 'system', hyps: systemHyps }], refs, opts));
}

/** The first system of an N-system bootstrap as a two-system result (the app's compare panel shows one pair). */
export function firstSystem(r: MultiBootstrapResult): BootstrapResult {
  const { delta, p_value, score, mean, ci, ci_half } = r.systems[0];
  return {
    metric: r.metric,
    baseline: r.baseline,
    system: { score, mean, ci, ci_half },
    delta,
    p_value,
    n_samples: r.n_samples,
    signature: r.signature,
  };
}

/** sacreBLEU's estimate_ci: mean of the resamples and half the spread between the n/40-th lowest and highest. */
function estimate(score: number, samples: readonly number[]): SystemEstimate {
  const sorted = [...samples].sort((a, b) => a - b);
  const lowerIdx = Math.floor(sorted.length / 40);
  const lower = sorted[lowerIdx];
  const upper = sorted[sorted.length - lowerIdx - 1];
  return {
    score,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    ci: [lower, upper],
    ci_half: 0.5 * (upper - lower),
  };
}
