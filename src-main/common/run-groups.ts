/**
 * Seed groups: runs that differ only by `random_seed` (or share the value of one chosen parameter)
 * are one group, drawn as a mean line with a band and tabled as mean ± std. Pure functions, runnable
 * anywhere: the service computes them for `runs.groups` so the renderer only draws (the same rules as
 * the renderer's lib/seed-groups.ts, which can import these instead of keeping its own).
 */

/** How runs are grouped: not at all, by everything but the seed, or by one parameter's value. */
export type GroupBy = { kind: 'none' } | { kind: 'seed' } | { kind: 'param'; key: string };

export interface GroupableRun {
  id: number;
  config: Readonly<Record<string, unknown>>;
}

export interface RunGroup<R extends GroupableRun> {
  /** stable identity of the group (the shared settings as JSON) */
  key: string;
  /** what tells this group apart from the others, in words: "dropout=0.1 · hidden_size=256" */
  label: string;
  runs: R[];
}

const SEED = 'random_seed';
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** Groups in the order of their first run. */
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
  for (const r of runs) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
  const list = [...groups.entries()];
  if (by.kind === 'param') return list.map(([key, rs]) => ({ key, label: `${by.key}=${key}`, runs: rs }));
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

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (then the normal 1.96). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export const tQuantile975 = (df: number): number => (df < 1 ? NaN : (T975[df - 1] ?? 1.96));

/** One x of a group's band: the mean over the runs that have a value there, min–max, and the 95% CI. */
export interface BandPoint {
  step: number;
  mean: number;
  min: number;
  max: number;
  /** the mean's 95% confidence interval (Student's t); a single run: lo = hi = mean */
  lo: number;
  hi: number;
  /** how many runs had a value here (a seed that stopped early narrows it) */
  n: number;
}

export interface StepValue {
  step: number;
  value: number;
}

/**
 * The band of a group's series of one metric. When the union of their steps is at most `buckets`
 * (validation metrics, equal logging steps) they are aligned exactly; otherwise the steps are cut into
 * `buckets` equal columns, each run contributes its mean inside a column, and the column sits at the
 * mean step of its points.
 */
export function bandOf(series: ReadonlyArray<readonly StepValue[]>, buckets = 1000): BandPoint[] {
  const finite = series.map((s) => s.filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value)));
  const steps = new Set<number>();
  for (const s of finite) for (const p of s) steps.add(p.step);
  if (steps.size === 0) return [];
  const sorted = [...steps].sort((a, b) => a - b);
  const exact = sorted.length <= buckets;
  const x0 = sorted[0];
  const span = sorted[sorted.length - 1] - x0 || 1;
  const cols = exact ? sorted.length : Math.max(1, Math.floor(buckets));
  const index = exact ? new Map(sorted.map((x, i) => [x, i])) : null;
  const colOf = (x: number) => index?.get(x) ?? Math.min(cols - 1, Math.floor(((x - x0) / span) * cols));
  const xSum = new Float64Array(cols);
  const xCount = new Float64Array(cols);
  const perRun = finite.map((s) => {
    const sum = new Float64Array(cols);
    const count = new Uint32Array(cols);
    for (const p of s) {
      const c = colOf(p.step);
      sum[c] += p.value;
      count[c]++;
      xSum[c] += p.step;
      xCount[c]++;
    }
    return { sum, count };
  });
  const out: BandPoint[] = [];
  for (let c = 0; c < cols; c++) {
    const s = summarize(perRun.filter((r) => r.count[c] > 0).map((r) => r.sum[c] / r.count[c]));
    if (!s) continue;
    const half = s.n > 1 ? (tQuantile975(s.n - 1) * s.std) / Math.sqrt(s.n) : 0;
    const step = xSum[c] / xCount[c];
    out.push({ step, mean: s.mean, min: s.min, max: s.max, lo: s.mean - half, hi: s.mean + half, n: s.n });
  }
  return out;
}
