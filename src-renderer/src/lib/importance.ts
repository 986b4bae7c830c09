/**
 * Which hyperparameters move a result across a sweep, without a random forest:
 * per parameter, the share of the result's variance its values explain (η², the
 * between-group sum of squares over the total, a one-way ANOVA) and, for numeric
 * parameters, Spearman's rank correlation (the sign says which way it pushes).
 * random_seed is kept as a reference: what a parameter explains beyond what the
 * seed alone explains is noise-level. Pure (test/ui-importance.test.ts).
 */
import type { GroupableRun } from './seed-groups.ts';

export interface Importance {
  key: string;
  /** share of variance explained, 0..1 (1: the result is fixed by this parameter) */
  eta2: number;
  /** Spearman's rank correlation with the result; null for a non-numeric parameter */
  spearman: number | null;
  /** distinct values of the parameter among the runs with a result */
  levels: number;
  /** runs with a result */
  n: number;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** η² of y grouped by labels: Σ n_g (ȳ_g − ȳ)² / Σ (y − ȳ)². 0 when y does not vary. */
export function etaSquared(labels: readonly string[], y: readonly number[]): number {
  const mean = y.reduce((s, v) => s + v, 0) / (y.length || 1);
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (!(total > 0)) return 0;
  const groups = new Map<string, number[]>();
  labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), y[i]]));
  let between = 0;
  for (const g of groups.values()) between += g.length * (g.reduce((s, v) => s + v, 0) / g.length - mean) ** 2;
  return between / total;
}

/** Ranks 1..n, ties sharing their mean rank. */
export function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Pearson's correlation; null when either side does not vary. */
export function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 2) return null;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

export const spearman = (a: readonly number[], b: readonly number[]): number | null => pearson(ranks(a), ranks(b));

/**
 * Importance of each parameter that varies among the runs with a result (and of
 * random_seed whenever it varies), most important first.
 */
export function parameterImportance<R extends GroupableRun>(
  runs: readonly R[],
  result: (r: R) => number | null | undefined,
  keys: readonly string[],
): Importance[] {
  const scored = runs.flatMap((r) => {
    const y = result(r);
    return typeof y === 'number' && Number.isFinite(y) ? [{ r, y }] : [];
  });
  const y = scored.map((s) => s.y);
  const out: Importance[] = [];
  for (const key of keys) {
    const values = scored.map((s) => s.r.config[key]);
    const levels = new Set(values.map(text)).size;
    if (levels < 2) continue;
    const numeric = values.every((v) => typeof v === 'number' && Number.isFinite(v));
    out.push({
      key,
      eta2: etaSquared(values.map(text), y),
      spearman: numeric ? spearman(values as number[], y) : null,
      levels,
      n: scored.length,
    });
  }
  return out.sort((a, b) => b.eta2 - a.eta2);
}
