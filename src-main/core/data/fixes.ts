import { badInput } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { fixLatinDanda, stripZeroWidth, validateDataset, type Finding, type FindingKind } from './findings.ts';
import { editPairs, type EditResult, type PairChange } from './pairs.ts';

/**
 * The safe one-click fixes, applied as ONE undoable edit group. A pair with
 * several fixable findings (a Latin danda and a stray zero-width space) gets
 * all of them, composed, rather than only the first one's preview.
 */
export const FIXABLE_KINDS: readonly FindingKind[] = ['latin_danda', 'zero_width'];

export interface FixSelection {
  /** only findings of this kind */
  kind?: FindingKind;
  /** only these pairs */
  pairIds?: readonly number[];
}

export interface FixResult {
  fixed: number;
  edit: EditResult | null;
}

function fixSides(kind: FindingKind, pair: { source: string; target: string }): { source: string; target: string } {
  if (kind === 'latin_danda') return { source: pair.source, target: fixLatinDanda(pair.target) };
  if (kind === 'zero_width') return { source: stripZeroWidth(pair.source), target: stripZeroWidth(pair.target) };
  return pair;
}

/** Applies the fixes of the selected findings; nothing selected is not an error (fixed: 0). */
export function applyFixes(db: Db, datasetId: number, sel: FixSelection = {}): FixResult {
  if (sel.kind && !FIXABLE_KINDS.includes(sel.kind)) {
    throw badInput(`findings of kind "${sel.kind}" have no safe automatic fix (fixable: ${FIXABLE_KINDS.join(', ')})`, {
      field: 'kind',
    });
  }
  const wanted = sel.pairIds ? new Set(sel.pairIds) : null;
  const kindsByPair = new Map<number, FindingKind[]>();
  for (const f of validateDataset(db, datasetId)) {
    if (!f.fix || (sel.kind && f.kind !== sel.kind) || (wanted && !wanted.has(f.pairId))) continue;
    const list = kindsByPair.get(f.pairId);
    if (list) list.push(f.kind);
    else kindsByPair.set(f.pairId, [f.kind]);
  }
  if (kindsByPair.size === 0) return { fixed: 0, edit: null };
  const get = db.prepare('SELECT source, target FROM pairs WHERE id = ?');
  const changes: PairChange[] = [];
  for (const [pairId, kinds] of kindsByPair) {
    const original = get.get(pairId) as { source: string; target: string };
    const fixed = kinds.reduce((p, k) => fixSides(k, p), original);
    if (fixed.source !== original.source || fixed.target !== original.target)
      changes.push({ op: 'update', pairId, ...fixed });
  }
  if (changes.length === 0) return { fixed: 0, edit: null };
  const label =
    `fix ${changes.length} ` + `${changes.length === 1 ? 'finding' : 'findings'}${sel.kind ? ` (${sel.kind})` : ''}`;
  return { fixed: changes.length, edit: editPairs(db, datasetId, label, changes) };
}

/** One finding's fix (the per-row button in the findings list). */
export function applyFix(db: Db, datasetId: number, finding: Pick<Finding, 'kind' | 'pairId'>): FixResult {
  return applyFixes(db, datasetId, { kind: finding.kind, pairIds: [finding.pairId] });
}
