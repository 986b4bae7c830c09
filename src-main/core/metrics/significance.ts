import type { BleuOptions } from './bleu.ts';
import { pairedApproxRandomization, type MultiArResult } from './approx-randomization.ts';
import { pairedBootstrapMany, type MultiBootstrapResult } from './bootstrap.ts';

/**
 * N systems against one baseline, on BLEU and chrF at once, by paired bootstrap resampling (`bs`,
 * sacreBLEU --paired-bs: 1000 resamples) or approximate randomisation (`ar`, --paired-ar: 10,000
 * trials); seed 12345 as sacreBLEU. The one entry point for `workbench compare` and the service.
 */
export type SignificanceMethod = 'bs' | 'ar';

export interface SignificanceOptions {
  method?: SignificanceMethod;
  /** resamples (bs) or trials (ar); default sacreBLEU's: 1000 / 10,000 */
  n_samples?: number;
  seed?: number;
  bleu?: BleuOptions;
}

export type MetricComparison = MultiBootstrapResult | MultiArResult;

export interface SignificanceResult {
  method: SignificanceMethod;
  bleu: MetricComparison;
  chrf: MetricComparison;
}

export function compareSystems(
  baselineHyps: readonly string[],
  systems: ReadonlyArray<{ name: string; hyps: readonly string[] }>,
  refs: ReadonlyArray<readonly string[]>,
  opts: SignificanceOptions = {},
): SignificanceResult {
  const method = opts.method ?? 'bs';
  const test = method === 'ar' ? pairedApproxRandomization : pairedBootstrapMany;
  const common = { n_samples: opts.n_samples, seed: opts.seed };
  return {
    method,
    bleu: test(baselineHyps, systems, refs, { ...common, metric: 'bleu', bleu: opts.bleu }),
    chrf: test(baselineHyps, systems, refs, { ...common, metric: 'chrf' }),
  };
}
