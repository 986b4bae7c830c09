import { describe, expect, it } from 'vitest';
import { matchSegments } from '../src-renderer/src/lib/match-segments.ts';

/** The training-pairs panel marks a search's matches by their [start, end) spans (TrainingPairsPanel). */
describe('matchSegments', () => {
  it('cuts a text at its match spans, in order, keeping every character once', () => {
    const text = 'मुझे किताब पसंद है, किताब!';
    const segs = matchSegments(text, [
      [20, 25],
      [5, 10],
    ]);
    expect(segs).toEqual([
      { text: 'मुझे ', hit: false },
      { text: 'किताब', hit: true },
      { text: ' पसंद है, ', hit: false },
      { text: 'किताब', hit: true },
      { text: '!', hit: false },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });

  it('marks nothing for no spans, and skips overlapping or out-of-range ones', () => {
    expect(matchSegments('abc', [])).toEqual([{ text: 'abc', hit: false }]);
    expect(
      matchSegments('abcdef', [
        [0, 3],
        [2, 4],
        [5, 9],
      ]),
    ).toEqual([
      { text: 'abc', hit: true },
      { text: 'def', hit: false },
    ]);
    expect(matchSegments('abc', [[0, 3]])).toEqual([{ text: 'abc', hit: true }]);
  });
});
