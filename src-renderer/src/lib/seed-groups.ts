/**
 * Seed groups as the charts draw them: the grouping, summaries and bands are the core's rules
 * (common/run-groups.ts, also served as `runs.groups`); this adapts them to chart points and adds
 * the table's "mean ± std" wording. Pure functions, no DOM (test/ui-seed-groups.test.ts).
 */
import { bandOf as bandOfSteps, summarize } from '../../../src-main/common/run-groups.ts';
import type { Point } from './series.ts';

export { groupRuns, summarize, tQuantile975 } from '../../../src-main/common/run-groups.ts';
export type { GroupBy, GroupableRun, RunGroup, Summary } from '../../../src-main/common/run-groups.ts';

/** "27.31 ± 0.42" (one run: the value alone; none: an en dash). */
export function formatMeanStd(s: ReturnType<typeof summarize>, digits = 2): string {
  if (!s) return '–';
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

export type BandKind = 'minmax' | 'ci95';

export interface Band {
  mean: Point[];
  lo: Point[];
  hi: Point[];
  /** how many runs had a value at each x of `mean` (a seed that stopped early narrows the count) */
  n: number[];
}

/** The mean line and the min–max or 95% CI band of a group's series (common/run-groups.ts bandOf). */
export function bandOf(series: ReadonlyArray<readonly Point[]>, kind: BandKind, buckets: number): Band {
  const points = bandOfSteps(
    series.map((s) => s.map((p) => ({ step: p.x, value: p.y }))),
    buckets,
  );
  return {
    mean: points.map((p) => ({ x: p.step, y: p.mean })),
    lo: points.map((p) => ({ x: p.step, y: kind === 'minmax' ? p.min : p.lo })),
    hi: points.map((p) => ({ x: p.step, y: kind === 'minmax' ? p.max : p.hi })),
    n: points.map((p) => p.n),
  };
}
