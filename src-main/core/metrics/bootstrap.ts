import { Rng } from '../rng.ts';
import { bleuSegmentStats, scoreBleuStats, STATS_LEN, type BleuOptions } from './bleu.ts';
import { chrfFromStats, chrfSignature, segmentStats, type ChrfOptions } from './chrf.ts';

/**
 * Paired bootstrap resampling (Koehn, 2004) as sacreBLEU's `--paired-bs`:
 * draw the test set's segments with replacement `n_samples` times, score the
 * baseline and the system on the *same* draw, and ask how often the centred
 * resampled difference is at least as large as the observed one. A small
 * p-value means the difference is unlikely under the null hypothesis that
 * both systems are equally good.
 */
export interface BootstrapOptions {
  n_samples?: number;
  seed?: number;
  metric?: 'bleu' | 'chrf';
  bleu?: BleuOptions;
  chrf?: ChrfOptions;
}

export interface SystemEstimate {
  score: number;
  /** mean over resamples */
  mean: number;
  /** 95% confidence interval (2.5th and 97.5th percentiles) */
  ci: [number, number];
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

export function pairedBootstrap(
  baselineHyps: readonly string[],
  systemHyps: readonly string[],
  refs: ReadonlyArray<readonly string[]>,
  opts: BootstrapOptions = {},
): BootstrapResult {
  const metric = opts.metric ?? 'bleu';
  const nSamples = opts.n_samples ?? 1000;
  const rng = new Rng(opts.seed ?? 12345);
  const stats = (hyps: readonly string[]) =>
    metric === 'bleu' ? bleuSegmentStats(hyps, refs, opts.bleu) : hyps.map((h, i) => segmentStats(h, refs.map((r) => r[i]), opts.chrf));
  const width = metric === 'bleu' ? STATS_LEN : (stats(baselineHyps.slice(0, 1))[0]?.length ?? 0);
  const score = (sum: number[]) => (metric === 'bleu' ? scoreBleuStats(sum, refs.length, opts.bleu).score : chrfFromStats(sum, opts.chrf));

  const base = stats(baselineHyps);
  const sys = stats(systemHyps);
  const n = base.length;
  const sumOf = (rows: number[][], idx: ArrayLike<number>) => {
    const sum = new Array<number>(width).fill(0);
    for (let k = 0; k < idx.length; k++) {
      const row = rows[idx[k]];
      for (let j = 0; j < width; j++) sum[j] += row[j];
    }
    return sum;
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const baseScore = score(sumOf(base, all));
  const sysScore = score(sumOf(sys, all));

  const baseSamples: number[] = [];
  const sysSamples: number[] = [];
  const idx = new Int32Array(n);
  for (let s = 0; s < nSamples; s++) {
    for (let k = 0; k < n; k++) idx[k] = rng.int(n);
    baseSamples.push(score(sumOf(base, idx)));
    sysSamples.push(score(sumOf(sys, idx)));
  }
  const diffs = sysSamples.map((v, i) => v - baseSamples[i]);
  const meanDiff = diffs.reduce((a, b) => a + b, 0) / nSamples;
  const observed = Math.abs(sysScore - baseScore);
  const extreme = diffs.filter((d) => Math.abs(d - meanDiff) >= observed).length;
  const signature =
    metric === 'bleu' ? scoreBleuStats(new Array<number>(STATS_LEN).fill(0), refs.length, opts.bleu).signature : chrfSignature(refs.length, opts.chrf);
  return {
    metric,
    baseline: estimate(baseScore, baseSamples),
    system: estimate(sysScore, sysSamples),
    delta: sysScore - baseScore,
    p_value: (extreme + 1) / (nSamples + 1),
    n_samples: nSamples,
    signature: `${signature.replace(/\|version:/, `|bs:${nSamples}|seed:${opts.seed ?? 12345}|version:`)}`,
  };
}

function estimate(score: number, samples: number[]): SystemEstimate {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
  return { score, mean: samples.reduce((a, b) => a + b, 0) / samples.length, ci: [at(0.025), at(0.975)] };
}
