import { describe, expect, it } from 'vitest';
import { FILTER_KINDS, FilterPipelineSchema } from '../src-main/common/filters.ts';
import { countByKind, kindLabel } from '../src-renderer/src/lib/finding-counts.ts';
import {
  defaultPipeline,
  newFilter,
  pipelineLabel,
  THRESHOLDS,
  withThreshold,
} from '../src-renderer/src/lib/filter-steps.ts';
import {
  isPowerOfTwoLabel,
  ratioBinLabels,
  ratioText,
  removedCounts,
  wordBinLabels,
} from '../src-renderer/src/lib/histogram-bins.ts';

/** The curation panels' words and editing model (issue 15): what the filter panel sends and how charts label. */
describe('filter panel', () => {
  it('opens with the issue’s pipeline, valid for the core as it is', () => {
    const p = defaultPipeline();
    expect(p.map((f) => f.kind)).toEqual(['script', 'length_ratio', 'duplicate', 'near_duplicate']);
    expect(FilterPipelineSchema.parse(p)).toEqual(p);
    expect(pipelineLabel(p)).toBe('filter: script, length ratio, duplicate, near duplicate');
  });

  it('a new filter of every kind is one the core accepts, and each threshold shown is one of its keys', () => {
    for (const kind of FILTER_KINDS) {
      const f = newFilter(kind, 7);
      expect(FilterPipelineSchema.safeParse([f]).success, kind).toBe(true);
      for (const t of THRESHOLDS[kind]) expect(Object.keys(f), `${kind}.${t.key}`).toContain(t.key);
    }
    expect(newFilter('model_score', 7)).toMatchObject({ runId: 7 });
  });

  it('a slider moves one threshold; a value out of range is refused, not sent', () => {
    const f = newFilter('length_ratio');
    expect(withThreshold(f, 'maxRatio', 2)).toEqual({ ...f, maxRatio: 2 });
    expect(f).toMatchObject({ maxRatio: 3.5 });
    expect(() => withThreshold(f, 'maxRatio', 0.5)).toThrow();
  });
});

describe('curation charts', () => {
  it('counts findings per kind, most frequent first', () => {
    const kinds = ['latin_danda', 'near_duplicate', 'latin_danda', 'zero_width', 'latin_danda', 'near_duplicate'];
    expect(countByKind(kinds.map((kind) => ({ kind })))).toEqual([
      { kind: 'latin_danda', count: 3 },
      { kind: 'near_duplicate', count: 2 },
      { kind: 'zero_width', count: 1 },
    ]);
    expect(kindLabel('near_duplicate')).toBe('near duplicate');
  });

  it('labels word bins by their whole numbers and the last as open-ended', () => {
    expect(wordBinLabels([0, 1, 2, 4, 8, 16])).toEqual(['0', '1', '2–3', '4–7', '8+']);
  });

  it('labels ratio bins as people say them', () => {
    expect(ratioText(0.25)).toBe('1/4');
    expect(ratioText(0.125)).toBe('1/8');
    expect(ratioText(1)).toBe('1');
    expect(ratioText(1.5)).toBe('1.5');
    expect(ratioText(2.828)).toBe('2.8');
    expect(ratioBinLabels([0.25, 0.5, 1, 2, 4])).toEqual(['1/4', '1/2', '1', '≥2']);
    const axis = ['1/8', '0.15', '1/4', '0.35', '1', '1.2', '2', '2.8', '4', '≥6.7'];
    expect(axis.filter(isPowerOfTwoLabel)).toEqual(['1/8', '1/4', '1', '2', '4']);
  });

  it('removed per bin is all minus kept', () => {
    expect(removedCounts({ all: [5, 3, 0], kept: [4, 3, 0] })).toEqual([1, 0, 0]);
  });
});
