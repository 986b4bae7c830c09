import type { FilterPipeline, FilterSpec } from '../../../common/filters.ts';
import type { Db } from '../../store/db.ts';
import { NO_PROGRESS, type TaskProgress } from '../task-progress.ts';
import type { FilterRun, PairFilter } from './filter.ts';
import { pairFeatures, type PairFeatures } from './pair-features.ts';
import { FILTERS } from './registry.ts';

/** A pipeline run over a dataset: each filter's removals, and per pair how many filters remove it. */
export interface PipelineResult {
  features: PairFeatures;
  runs: FilterRun[];
  /** per position: the number of filters that remove the pair (0: kept) */
  hits: Uint8Array;
  removedCount: number;
}

function filterOf(spec: FilterSpec): PairFilter<FilterSpec['kind']> {
  return FILTERS[spec.kind] as PairFilter<FilterSpec['kind']>;
}

/**
 * Runs the per-pair filters, then the de-duplication filters (which keep, of
 * each group, the first pair the per-pair filters keep). Each filter sees the
 * whole dataset, so its counts do not depend on its place in the list.
 */
export function runPipeline(
  db: Db,
  datasetId: number,
  pipeline: FilterPipeline,
  progress: TaskProgress = NO_PROGRESS,
): PipelineResult {
  const needs = [...new Set(pipeline.flatMap((s) => filterOf(s).needs ?? []))];
  const features = pairFeatures(db, datasetId, needs, progress);
  const n = features.n;
  const runs: FilterRun[] = new Array(pipeline.length);
  const passes = new Uint8Array(n).fill(1);
  pipeline.forEach((spec, k) => {
    const filter = filterOf(spec);
    if (filter.dedup) return;
    const r = filter.run(features, spec, { db, datasetId, passes });
    runs[k] = r;
    for (let i = 0; i < n; i++) if (r.removed[i]) passes[i] = 0;
  });
  pipeline.forEach((spec, k) => {
    const filter = filterOf(spec);
    if (filter.dedup) runs[k] = filter.run(features, spec, { db, datasetId, passes });
  });
  const hits = new Uint8Array(n);
  for (const r of runs) for (let i = 0; i < n; i++) hits[i] += r.removed[i];
  let removedCount = 0;
  for (let i = 0; i < n; i++) if (hits[i]) removedCount++;
  return { features, runs, hits, removedCount };
}

/** The ids of the pairs a pipeline removes, in dataset order. */
export function removedPairIds(result: PipelineResult): number[] {
  const ids: number[] = [];
  for (let i = 0; i < result.features.n; i++) if (result.hits[i]) ids.push(result.features.ids[i]);
  return ids;
}
