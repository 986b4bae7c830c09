import { describe, expect, it } from 'vitest';
import { bandLines, gridOrder } from '../src-renderer/src/lib/band-lines.ts';
import { groupRuns } from '../src-renderer/src/lib/seed-groups.ts';

const runs = [1, 2, 3].map((id) => ({
  id,
  name: `r${id}`,
  config: { hidden_size: id === 3 ? 256 : 128, random_seed: id },
}));
const pts = (ys: number[]) => ys.map((y, x) => ({ x, y }));
const data: Record<number, { raw: Array<{ x: number; y: number }>; smoothed: Array<{ x: number; y: number }> | null }> =
  {
    1: { raw: pts([1, 2]), smoothed: null },
    2: { raw: pts([3, 4]), smoothed: null },
    3: { raw: pts([9, 9]), smoothed: pts([8, 8]) },
  };

describe('chart lines of runs and groups', () => {
  it('draws each run alone, its raw data faint behind a smoothed line', () => {
    const lines = bandLines(groupRuns(runs, { kind: 'none' }), (id) => data[id], {
      grouped: false,
      band: 'minmax',
      buckets: 100,
    });
    expect(lines.map((l) => l.label)).toEqual(['1 r1', '2 r2', '3 r3']);
    expect(lines[0].faint).toBeUndefined();
    expect(lines[2].line).toEqual(pts([8, 8]));
    expect(lines[2].faint).toEqual(pts([9, 9]));
    expect(new Set(lines.map((l) => l.color)).size).toBe(3);
  });

  it('draws a seed group as its mean in a min-max band, a lone run without a band', () => {
    const lines = bandLines(groupRuns(runs, { kind: 'seed' }), (id) => data[id], {
      grouped: true,
      band: 'minmax',
      buckets: 100,
    });
    expect(lines.map((l) => l.label)).toEqual(['hidden_size=128 (2 runs)', 'hidden_size=256 (1 run)']);
    expect(lines[0].line).toEqual(pts([2, 3]));
    expect(lines[0].lo).toEqual(pts([1, 2]));
    expect(lines[0].hi).toEqual(pts([3, 4]));
    expect(lines[1].lo).toBeUndefined();
    expect(lines[1].line).toEqual(pts([8, 8])); // the smoothed line of a group is what is averaged
  });

  it('orders the grid: results, losses, speed and memory, then the rest', () => {
    expect(
      gridOrder(['train/lr', 'system/tensor_mb', 'train/loss', 'valid/seconds', 'valid/bleu', 'system/memory_mb', 'x']),
    ).toEqual(['valid/bleu', 'train/loss', 'system/memory_mb', 'valid/seconds', 'train/lr', 'system/tensor_mb', 'x']);
  });
});
