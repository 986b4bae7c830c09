import { badInput } from '../../common/errors.ts';
import { loadSplitPairs } from '../data/splits.ts';
import type { Db } from '../store/db.ts';
import { getRun } from '../store/runs.ts';

/**
 * What the app evaluates a run on: a part of the run's own split (the app reads no file
 * paths: in browser mode anyone holding the page could name one). The part asked for or
 * an error that says why not; never another part in its place.
 */
export interface SplitEvaluationSet {
  sources: string[];
  refs: string[];
  /** the pair of each sentence (the evaluation keeps it: per-sentence history and slices) */
  pairIds: number[];
  /** recorded as the evaluation's source and reference: "split default/test (first 500 of 1288)" */
  where: string;
}

export function splitEvaluationSet(db: Db, runId: number, part: 'test' | 'valid', max = 1000): SplitEvaluationSet {
  const run = getRun(db, runId);
  if (run.splitId === null) {
    const message =
      `run ${runId} has no data split (it has not started, or it was imported): ` +
      'evaluate it with workbench evaluate --src FILE --ref FILE';
    throw badInput(message, { field: 'runId' });
  }
  const pairs = loadSplitPairs(db, run.splitId, part);
  const split = run.config.split;
  if (pairs.length === 0) {
    const ratio = part === 'test' ? run.config.test_ratio : run.config.valid_ratio;
    const message = `run ${runId}'s split "${split}" has no ${part} pairs (${part}_ratio ${ratio})`;
    throw badInput(message, { field: 'part' });
  }
  const used = pairs.slice(0, max);
  const cut = used.length < pairs.length ? ` (first ${used.length} of ${pairs.length})` : '';
  const where = `split ${split}/${part}${cut}`;
  return {
    sources: used.map((p) => p.source),
    refs: used.map((p) => p.target),
    pairIds: used.map((p) => p.id),
    where,
  };
}
