/**
 * The lines a chart draws for chosen runs: each run alone (its smoothed line, its
 * data faint behind) or, grouped, one mean line per group inside its band. Pure
 * (test/ui-band-lines.test.ts).
 */
import type { BandLine } from './chart-sync.svelte.ts';
import { bandOf, type BandKind, type GroupableRun, type RunGroup } from './seed-groups.ts';
import { PALETTE, type Point } from './series.ts';

export interface RunPoints {
  raw: Point[];
  /** null: not smoothed (the line is the data) */
  smoothed: Point[] | null;
}

export interface LineOptions {
  grouped: boolean;
  band: BandKind;
  /** columns of a group's band: about one per two pixels of chart width */
  buckets: number;
}

export function bandLines<R extends GroupableRun & { name: string }>(
  groups: ReadonlyArray<RunGroup<R>>,
  pointsOf: (runId: number) => RunPoints | undefined,
  o: LineOptions,
): BandLine[] {
  if (!o.grouped) {
    return groups
      .flatMap((g) => g.runs)
      .flatMap((r, i) => {
        const p = pointsOf(r.id);
        if (!p || p.raw.length === 0) return [];
        const color = PALETTE[i % PALETTE.length];
        return [
          { label: `${r.id} ${r.name}`, color, line: p.smoothed ?? p.raw, faint: p.smoothed ? p.raw : undefined },
        ];
      });
  }
  return groups.flatMap((g, i) => {
    const series = g.runs.map((r) => pointsOf(r.id)).filter((p): p is RunPoints => Boolean(p && p.raw.length));
    if (series.length === 0) return [];
    const band = bandOf(
      series.map((p) => p.smoothed ?? p.raw),
      o.band,
      o.buckets,
    );
    const color = PALETTE[i % PALETTE.length];
    const label = `${g.label} (${g.runs.length === 1 ? '1 run' : `${g.runs.length} runs`})`;
    return [{ label, color, line: band.mean, ...(series.length > 1 ? { lo: band.lo, hi: band.hi } : {}) }];
  });
}

const FIRST = [
  'valid/bleu',
  'valid/chrf',
  'valid/loss',
  'valid/ppl',
  'train/loss',
  'train/tokens_per_s',
  'system/memory_mb',
];

/** The grid's order: results first, then the losses, then speed and memory, then the rest by name. */
export function gridOrder(names: readonly string[]): string[] {
  const rank = (n: string) => {
    const i = FIRST.indexOf(n);
    if (i >= 0) return i;
    return FIRST.length + (n.startsWith('valid/') ? 0 : n.startsWith('train/') ? 1 : n.startsWith('system/') ? 2 : 3);
  };
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
