/**
 * Labels of a histogram's bins (the filter preview's HistogramDto: `edges` has one more entry than the counts;
 * bin i holds [edges[i], edges[i+1]), the last bin everything from its lower edge up). Pure (ui-curation test).
 */

/** Word counts: "3", "4–5", "40+" (whole numbers, so a bin [4, 6) is 4–5). */
export function wordBinLabels(edges: readonly number[]): string[] {
  return edges.slice(0, -1).map((lo, i) => {
    if (i === edges.length - 2) return `${lo}+`;
    const hi = edges[i + 1] - 1;
    return hi <= lo ? `${lo}` : `${lo}–${hi}`;
  });
}

/** A ratio as people say it: 0.25 -> "1/4", 2 -> "2", 1.5 -> "1.5". */
export function ratioText(r: number): string {
  if (r >= 1 || r <= 0) return Number(r.toPrecision(2)).toString();
  const inv = 1 / r;
  return Math.abs(inv - Math.round(inv)) < 1e-9 ? `1/${Math.round(inv)}` : Number(r.toPrecision(2)).toString();
}

/** A ratio label that is a power of two ("1/8", "1", "4", "≤1/8"): the ratio axis writes only these. */
export function isPowerOfTwoLabel(label: string): boolean {
  const m = /^[≥≤]?(1\/)?(\d+)$/.exec(label);
  return m !== null && Number.isInteger(Math.log2(Number(m[2])));
}

/** Length-ratio bins (log scale): labelled by their lower edge, "≥8" for the last. */
export function ratioBinLabels(edges: readonly number[]): string[] {
  return edges.slice(0, -1).map((lo, i) => (i === edges.length - 2 ? `≥${ratioText(lo)}` : ratioText(lo)));
}

/** The removed pairs of each bin: all minus kept. */
export function removedCounts(h: { all: readonly number[]; kept: readonly number[] }): number[] {
  return h.all.map((n, i) => n - (h.kept[i] ?? 0));
}
