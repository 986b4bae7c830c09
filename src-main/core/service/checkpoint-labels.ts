/**
 * What each kept checkpoint of a run is, in words. The store's `kind` says only
 * why a checkpoint was kept ("best": among the keep_best_ckpts best), so every
 * kept one read "best"; a user needs its rank by the early-stopping metric and
 * which one is the latest (what resume continues from).
 */
export interface CheckpointForLabel {
  id: number;
  step: number;
  kind: string;
  metricValue: number | null;
  /** averaged checkpoints: { averaged: { last, steps } } (core/train/average.ts) */
  detail?: Record<string, unknown> | null;
}

/** "averaged last 3": what an averaged checkpoint is, from what the store recorded of it. */
export function averagedLabel(detail: CheckpointForLabel['detail']): string {
  const last = (detail?.averaged as { last?: unknown } | undefined)?.last;
  return typeof last === 'number' ? `averaged last ${last}` : 'averaged';
}

/** 1st, 2nd, 3rd, 4th, …, 11th-13th, 21st. */
const ordinal = (n: number) => {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
};

/**
 * Labels by checkpoint id: "best", "2nd best", "3rd best" by the metric (ties: the
 * later step ranks higher, as the keeper and `bestCheckpoint` rank them), joined
 * with "latest" for the newest and "final"/"imported" for those kinds:
 * "latest · 2nd best", "final · best", "latest · not validated" (saved on cancel).
 */
export function checkpointLabels(checkpoints: readonly CheckpointForLabel[], mode: 'min' | 'max'): Map<number, string> {
  const sign = mode === 'min' ? 1 : -1;
  const ranked = checkpoints
    .filter((c) => c.metricValue !== null && Number.isFinite(c.metricValue))
    .sort((a, b) => sign * ((a.metricValue as number) - (b.metricValue as number)) || b.step - a.step);
  const rank = new Map(ranked.map((c, i) => [c.id, i + 1]));
  // An average shares its newest member's step; it is never what training left last.
  const latest = checkpoints
    .filter((c) => c.kind !== 'averaged')
    .reduce<CheckpointForLabel | undefined>(
      (a, c) => (!a || c.step > a.step || (c.step === a.step && c.id > a.id) ? c : a),
      undefined,
    );
  const labels = new Map<number, string>();
  for (const c of checkpoints) {
    if (c.kind === 'averaged') {
      labels.set(c.id, averagedLabel(c.detail));
      continue;
    }
    const r = rank.get(c.id);
    const parts = [
      ...(c.kind === 'final' || c.kind === 'imported' ? [c.kind] : []),
      ...(c === latest && c.kind !== 'final' ? ['latest'] : []),
      ...(r === undefined
        ? c.kind === 'imported'
          ? []
          : ['not validated']
        : [r === 1 ? 'best' : `${ordinal(r)} best`]),
    ];
    labels.set(c.id, parts.join(' · '));
  }
  return labels;
}
