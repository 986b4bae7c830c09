import { describe, expect, it } from 'vitest';
import { checkpointLabels } from '../src-main/core/service/checkpoint-labels.ts';

/** Kept checkpoints say their rank, not only why they were kept (issue 13 B2: every one read "best"). */
describe('checkpoint labels', () => {
  // keep_best_ckpts 3 by valid ppl (lower is better): the keeper stored every kept one as kind "best"
  const kept = [
    { id: 1, step: 100, kind: 'best', metricValue: 12.5 },
    { id: 2, step: 200, kind: 'best', metricValue: 9.1 },
    { id: 3, step: 300, kind: 'best', metricValue: 10.4 },
    { id: 4, step: 400, kind: 'latest', metricValue: 11.0 },
  ];

  it('ranks by the metric in its direction and marks the latest', () => {
    const l = checkpointLabels(kept, 'min');
    expect([1, 2, 3, 4].map((id) => l.get(id))).toEqual(['4th best', 'best', '2nd best', 'latest · 3rd best']);
    const hi = checkpointLabels(kept, 'max');
    expect([1, 2, 3, 4].map((id) => hi.get(id))).toEqual(['best', '4th best', '3rd best', 'latest · 2nd best']);
    expect(new Set(l.values()).size).toBe(4);
  });

  it('ties go to the later step; final, imported and unvalidated checkpoints say so', () => {
    const l = checkpointLabels(
      [
        { id: 1, step: 10, kind: 'best', metricValue: 5 },
        { id: 2, step: 20, kind: 'best', metricValue: 5 },
        { id: 3, step: 30, kind: 'final', metricValue: 6 },
      ],
      'max',
    );
    expect([1, 2, 3].map((id) => l.get(id))).toEqual(['3rd best', '2nd best', 'final · best']);
    expect(checkpointLabels([{ id: 7, step: 5, kind: 'latest', metricValue: null }], 'min').get(7)).toBe(
      'latest · not validated',
    );
    expect(checkpointLabels([{ id: 8, step: 0, kind: 'imported', metricValue: null }], 'min').get(8)).toBe(
      'imported · latest',
    );
  });
});
