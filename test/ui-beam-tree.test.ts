import { describe, expect, it } from 'vitest';
import { fitZoom, layoutTree, type TreeNode } from '../src-renderer/src/lib/beam-tree.ts';

/** The beam tree fits its panel and collapses what the search pruned (issue 13 B5). */
describe('beam tree layout', () => {
  const n = (id: number, parent: number | null, step: number, kind: TreeNode['kind'], score: number): TreeNode => ({
    id,
    parent,
    text: `t${id}`,
    logprob: -1,
    score,
    step,
    kind,
  });
  // step 0: two kept roots and a pruned one; step 1: each kept root has one kept and two pruned children
  const nodes = [
    n(0, null, 0, 'kept', -1),
    n(1, null, 0, 'kept', -2),
    n(2, null, 0, 'pruned', -3),
    n(3, 0, 1, 'finished', -1.5),
    n(4, 0, 1, 'pruned', -4),
    n(5, 0, 1, 'pruned', -5),
    n(6, 1, 1, 'kept', -2.5),
    n(7, 1, 1, 'pruned', -6),
    n(8, 1, 1, 'pruned', -7),
  ];

  it('collapses pruned candidates into a count on their parent', () => {
    const l = layoutTree(nodes, { showPruned: false, expanded: new Set() });
    expect(l.map((p) => p.n.id).sort()).toEqual([0, 1, 3, 6]);
    expect(Object.fromEntries(l.map((p) => [p.n.id, p.collapsed]))).toEqual({ 0: 2, 1: 2, 3: 0, 6: 0 });
  });

  it('an expanded parent shows its pruned children; showing all shows every one', () => {
    const l = layoutTree(nodes, { showPruned: false, expanded: new Set([1]) });
    expect(l.map((p) => p.n.id).sort()).toEqual([0, 1, 3, 6, 7, 8]);
    expect(l.find((p) => p.n.id === 1)?.collapsed).toBe(0);
    expect(layoutTree(nodes, { showPruned: true, expanded: new Set() })).toHaveLength(9);
  });

  it('a path reads left to right, best first, one row per leaf', () => {
    const l = layoutTree(nodes, { showPruned: false, expanded: new Set() });
    const at = (id: number) => l.find((p) => p.n.id === id) as (typeof l)[number];
    expect(at(3).x).toBeGreaterThan(at(0).x);
    expect(at(0).y).toBe(at(3).y);
    expect(at(6).y).toBeGreaterThan(at(3).y);
  });

  it('fits the width of the panel without enlarging', () => {
    expect(fitZoom(2400, 1200)).toBe(0.5);
    expect(fitZoom(600, 1200)).toBe(1);
    expect(fitZoom(20_000, 1200)).toBe(0.3);
  });
});
