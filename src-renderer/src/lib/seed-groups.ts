/**
 * Seed groups: runs that differ only by `random_seed` (or that share the value
 * of one chosen parameter) are one group, drawn as a mean line with a band and
 * summarised as mean ± std. Pure functions, no DOM (test/ui-seed-groups.test.ts).
 */
import type { Point } from './series.ts';

/** How runs are grouped: not at all, by everything but the seed, or by one parameter's value. */
export type GroupBy = { kind: 'none' } | { kind: 'seed' } | { kind: 'param'; key: string };

export interface GroupableRun {
  id: number;
  config: Readonly<Record<string, unknown>>;
}

export interface RunGroup<R extends GroupableRun> {
  /** stable identity of the group (the shared settings as JSON) */
  key: string;
  /** what the group's runs share that other groups do not, in words: "hidden_size=256 · lr=0.001" */
  label: string;
  runs: R[];
}

const SEED = 'random_seed';

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/**
 * Groups in order of their first run. Seed mode: same config but for random_seed
 * (so a group's runs differ only by seed); param mode: same value of `key`.
 */
export function groupRuns<R extends GroupableRun>(runs: readonly R[], by: GroupBy): RunGroup<R>[] {
  if (by.kind === 'none') return runs.map((r) => ({ key: String(r.id), label: String(r.id), runs: [r] }));
  const keyOf = (r: R): string =>
    by.kind === 'param'
      ? text(r.config[by.key])
      : JSON.stringify(
          Object.keys(r.config)
            .filter((k) => k !== SEED)
            .sort()
            .map((k) => [k, r.config[k]]),
        );
  const groups = new Map<string, R[]>();
  for (const r of runs) {
    const k = keyOf(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const list = [...groups.entries()];
  if (by.kind === 'param') return list.map(([key, rs]) => ({ key, label: `${by.key}=${key}`, runs: rs }));
  // seed groups are named by the settings that tell them apart (the seed itself excluded)
  const reps = list.map(([, rs]) => rs[0].config);
  const telling = Object.keys(reps[0] ?? {}).filter((k) => k !== SEED && new Set(reps.map((c) => text(c[k]))).size > 1);
  return list.map(([key, rs]) => ({
    key,
    label: telling.length ? telling.map((k) => `${k}=${text(rs[0].config[k])}`).join(' · ') : 'all runs',
    runs: rs,
  }));
}

export interface Summary {
  n: number;
  mean: number;
  /** sample standard deviation (n − 1); 0 for a single value */
  std: number;
  min: number;
  max: number;
}

/** Mean, sample std, min and max of the finite values; null when there are none. */
export function summarize(values: ReadonlyArray<number | null | undefined>): Summary | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return null;
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const variance = v.length > 1 ? v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1) : 0;
  return { n: v.length, mean, std: Math.sqrt(variance), min: Math.min(...v), max: Math.max(...v) };
}

/** "27.31 ± 0.42" (one run: the value alone; none: an en dash). */
export function formatMeanStd(s: Summary | null, digits = 2): string {
  if (!s) return '–';
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (then the normal 1.96). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export const tQuantile975 = (df: number): number => (df < 1 ? NaN : (T975[df - 1] ?? 1.96));

export type BandKind = 'minmax' | 'ci95';

export interface Band {
  mean: Point[];
  lo: Point[];
  hi: Point[];
  /** how many runs had a value at each x of `mean` (a seed that stopped early narrows the count) */
  n: number[];
}

/**
 * The mean line and band of a group's series at common x values. When the
 * union of their x values is at most `buckets` (validation metrics, equal
 * logging steps) they are aligned exactly; otherwise x is cut into `buckets`
 * equal columns, each run contributes its mean inside a column, and the column
 * sits at the mean x of its points. Band: min–max over runs, or the mean's 95%
 * confidence interval (Student's t; a single run has no interval, lo = hi = mean).
 */
export function bandOf(series: ReadonlyArray<readonly Point[]>, kind: BandKind, buckets: number): Band {
  const out: Band = { mean: [], lo: [], hi: [], n: [] };
  const finite = series.map((s) => s.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  const xs = new Set<number>();
  for (const s of finite) for (const p of s) xs.add(p.x);
  if (xs.size === 0) return out;
  const exact = xs.size <= buckets;
  const sorted = [...xs].sort((a, b) => a - b);
  const x0 = sorted[0];
  const span = sorted[sorted.length - 1] - x0 || 1;
  const cols = exact ? sorted.length : Math.max(1, Math.floor(buckets));
  const index = exact ? new Map(sorted.map((x, i) => [x, i])) : null;
  const colOf = (x: number) => index?.get(x) ?? Math.min(cols - 1, Math.floor(((x - x0) / span) * cols));
  // per column: sum of x over all points, and per run the sum and count of its y
  const xSum = new Float64Array(cols);
  const xCount = new Float64Array(cols);
  const perRun = finite.map((s) => {
    const sum = new Float64Array(cols);
    const count = new Uint32Array(cols);
    for (const p of s) {
      const c = colOf(p.x);
      sum[c] += p.y;
      count[c]++;
      xSum[c] += p.x;
      xCount[c]++;
    }
    return { sum, count };
  });
  for (let c = 0; c < cols; c++) {
    const ys: number[] = [];
    for (const r of perRun) if (r.count[c] > 0) ys.push(r.sum[c] / r.count[c]);
    const s = summarize(ys);
    if (!s) continue;
    const x = xSum[c] / xCount[c];
    const half = kind === 'ci95' && s.n > 1 ? (tQuantile975(s.n - 1) * s.std) / Math.sqrt(s.n) : 0;
    out.mean.push({ x, y: s.mean });
    out.lo.push({ x, y: kind === 'minmax' ? s.min : s.mean - half });
    out.hi.push({ x, y: kind === 'minmax' ? s.max : s.mean + half });
    out.n.push(s.n);
  }
  return out;
}
