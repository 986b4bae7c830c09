/**
 * Counts per finding kind, most frequent first: the bars of the findings chart and the
 * numbers beside a filter that reuses the same rule. Pure, so it is unit-tested (ui-curation).
 */
export function countByKind(findings: ReadonlyArray<{ kind: string }>): Array<{ kind: string; count: number }> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.kind, (m.get(f.kind) ?? 0) + 1);
  return [...m.entries()]
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

/** "near_duplicate" -> "near duplicate": how the views write a finding or filter kind. */
export const kindLabel = (kind: string): string => kind.replaceAll('_', ' ');
