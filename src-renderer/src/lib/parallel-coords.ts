/**
 * Parallel coordinates across a sweep: one vertical axis per varying
 * hyperparameter and per final metric, one polyline per run. Each axis maps its
 * values to 0..1 (bottom..top): numbers linearly, or on a log scale when they
 * are all positive and span 10× or more (learning rates); anything else as evenly
 * spaced categories. A brush is a 0..1 interval on an axis; a run passes when it
 * lies inside every brush. Pure (test/ui-parallel-coords.test.ts).
 */
import { tickLabel } from './series.ts';

export interface AxisSpec {
  key: string;
  label: string;
  kind: 'linear' | 'log' | 'category';
  /** category axes: the values bottom to top; numeric axes: [min, max] */
  domain: string[] | [number, number];
  /** numeric axes with few distinct values (a grid): those values, labelled as ticks */
  values?: number[];
}

export interface Brush {
  lo: number;
  hi: number;
}

/** Values of one axis for each run: numbers for metrics, config values for parameters (null: not recorded). */
export type AxisValues = ReadonlyArray<unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

export function axisOf(key: string, label: string, values: AxisValues): AxisSpec {
  const present = values.filter((v) => v !== null && v !== undefined);
  const nums = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (nums.length > 0 && nums.length === present.length) {
    const [min, max] = [Math.min(...nums), Math.max(...nums)];
    const log = min > 0 && max / min >= 10;
    const distinct = [...new Set(nums)].sort((a, b) => a - b);
    // a grid's few values are the ticks themselves
    if (distinct.length <= 8) return { key, label, kind: log ? 'log' : 'linear', domain: [min, max], values: distinct };
    return { key, label, kind: log ? 'log' : 'linear', domain: [min, max] };
  }
  const cats = [...new Set(present.map(text))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { key, label, kind: 'category', domain: cats };
}

/** 0..1 position of a value on its axis; null when the run has no value there. */
export function position(axis: AxisSpec, v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (axis.kind === 'category') {
    const cats = axis.domain as string[];
    const i = cats.indexOf(text(v));
    if (i < 0) return null;
    return cats.length === 1 ? 0.5 : i / (cats.length - 1);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const [min, max] = axis.domain as [number, number];
  if (max === min) return 0.5;
  if (axis.kind === 'log') return (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
  return (v - min) / (max - min);
}

/** Labelled ticks of an axis as [position, label]: every category, or about five numbers. */
export function axisTicks(axis: AxisSpec): Array<[number, string]> {
  if (axis.kind === 'category') return (axis.domain as string[]).map((c) => [position(axis, c) ?? 0, c]);
  const [min, max] = axis.domain as [number, number];
  if (min === max) return [[0.5, tickLabel(min)]];
  if (axis.values) return axis.values.map((v) => [position(axis, v) ?? 0, tickLabel(v)]);
  const at = [0, 0.25, 0.5, 0.75, 1];
  const values = axis.kind === 'log' ? at.map((t) => min * (max / min) ** t) : at.map((t) => min + (max - min) * t);
  return values.map((v) => [position(axis, v) ?? 0, tickLabel(v)]);
}

/** Whether each run lies inside every brush (axes without a brush let everything through; a missing value does not). */
export function brushed(
  axes: readonly AxisSpec[],
  columns: ReadonlyArray<AxisValues>,
  brushes: Readonly<Record<string, Brush>>,
): boolean[] {
  const n = columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) =>
    axes.every((a, j) => {
      const b = brushes[a.key];
      if (!b) return true;
      const p = position(a, columns[j][i]);
      return p !== null && p >= Math.min(b.lo, b.hi) - 1e-9 && p <= Math.max(b.lo, b.hi) + 1e-9;
    }),
  );
}

/** A colour from low (blue) to high (orange) of a 0..1 value, for colouring lines by a metric; grey when unknown. */
export function rampColor(t: number | null): string {
  if (t === null || !Number.isFinite(t)) return '#999999';
  const c = Math.max(0, Math.min(1, t));
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * c);
  const [r, g, b] = [lerp(0x3b, 0xe8), lerp(0x6f, 0x6a), lerp(0xd8, 0x1a)];
  return `#${[r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}
