/**
 * Layout of the beam search tree, without the DOM (test/ui-beam-tree.test.ts):
 * one column per decoding step, leaves in depth-first order so a hypothesis
 * reads as a left-to-right path. Pruned candidates are collapsed into a
 * "+N pruned" count on their parent unless that parent is expanded (or all are
 * shown), so a beam of 5 over 20 steps fits a panel.
 */
export interface TreeNode {
  id: number;
  parent: number | null;
  text: string;
  /** log-prob of this token given its path */
  logprob: number;
  /** cumulative log-prob of the path up to and including this token */
  score: number;
  step: number;
  kind: 'kept' | 'finished' | 'pruned';
}

export interface PlacedNode<N extends TreeNode> {
  x: number;
  y: number;
  n: N;
  /** pruned children not drawn (collapsed) */
  collapsed: number;
}

export const COL = 118;
export const ROW = 22;

export function layoutTree<N extends TreeNode>(
  nodes: readonly N[],
  opts: { showPruned: boolean; expanded: ReadonlySet<number> },
): PlacedNode<N>[] {
  const visible = (n: N) =>
    n.kind !== 'pruned' || opts.showPruned || (n.parent !== null && opts.expanded.has(n.parent));
  const children = new Map<number | null, N[]>();
  const prunedHidden = new Map<number, number>();
  for (const n of nodes) {
    if (visible(n)) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
    else if (n.parent !== null) prunedHidden.set(n.parent, (prunedHidden.get(n.parent) ?? 0) + 1);
  }
  for (const list of children.values()) list.sort((a, b) => b.score - a.score);
  const out: PlacedNode<N>[] = [];
  let row = 0;
  // depth-first: a node sits at the row of its first child (or its own row when a leaf)
  const place = (n: N): number => {
    const kids = children.get(n.id) ?? [];
    const y = kids.length ? kids.map(place)[0] : 14 + row++ * ROW;
    out.push({ x: 8 + n.step * COL, y, n, collapsed: prunedHidden.get(n.id) ?? 0 });
    return y;
  };
  for (const root of children.get(null) ?? []) place(root);
  // roots pruned at the first step hang off no drawn parent: they are counted in the caption
  return out;
}

/**
 * The zoom that fits the tree's width into the panel: never enlarges, never below 0.3 (text stays legible when zoomed
 * in again).
 */
export function fitZoom(treeWidth: number, panelWidth: number): number {
  if (treeWidth <= 0 || panelWidth <= 0) return 1;
  return Math.max(0.3, Math.min(1, panelWidth / treeWidth));
}
