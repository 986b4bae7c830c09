import {
  describeFilter,
  type FilterPipeline,
  type FilterPreviewDto,
  type RemovedPairDto,
} from '../../../common/filters.ts';
import type { Db } from '../../store/db.ts';
import { NO_PROGRESS, type TaskProgress } from '../task-progress.ts';
import { lengthHistograms } from './histograms.ts';
import { runPipeline, type PipelineResult } from './pipeline.ts';

export interface PreviewOptions {
  /** the page of removed pairs (dataset order) */
  sampleOffset?: number;
  sampleLimit?: number;
}

/**
 * What a pipeline would do, without doing it: how many pairs it keeps and
 * removes, each filter's count (and how many only it removes), a page of the
 * removed pairs with every reason, and length histograms before and after.
 */
export function previewFilters(
  db: Db,
  datasetId: number,
  pipeline: FilterPipeline,
  opts: PreviewOptions = {},
  /** the first preview of a dataset measures every pair (seconds on 1M); later ones read the cached columns */
  progress: TaskProgress = NO_PROGRESS,
): FilterPreviewDto {
  const started = performance.now();
  const result = runPipeline(db, datasetId, pipeline, progress);
  const { features: f, runs, hits } = result;
  const filters = pipeline.map((spec, k) => {
    let removed = 0;
    let only = 0;
    const r = runs[k].removed;
    for (let i = 0; i < f.n; i++) {
      if (!r[i]) continue;
      removed++;
      if (hits[i] === 1) only++;
    }
    const notJudged = runs[k].notJudged;
    return {
      kind: spec.kind,
      label: describeFilter(spec),
      removed,
      removedOnlyByThis: only,
      ...(notJudged && { notJudged }),
    };
  });
  const offset = opts.sampleOffset ?? 0;
  return {
    total: f.n,
    kept: f.n - result.removedCount,
    removed: result.removedCount,
    filters,
    sample: { offset, rows: removedPage(db, pipeline, result, offset, opts.sampleLimit ?? 50) },
    histograms: lengthHistograms(f, hits),
    ms: Math.round(performance.now() - started),
  };
}

/** The removed pairs from position `offset` among the removed (dataset order), with their texts and reasons. */
function removedPage(
  db: Db,
  pipeline: FilterPipeline,
  { features: f, runs, hits }: PipelineResult,
  offset: number,
  limit: number,
): RemovedPairDto[] {
  const positions: number[] = [];
  let seen = 0;
  for (let i = 0; i < f.n && positions.length < limit; i++) {
    if (!hits[i]) continue;
    if (seen++ >= offset) positions.push(i);
  }
  if (positions.length === 0) return [];
  const ids = positions.map((i) => f.ids[i]);
  const rows = db
    .prepare(`SELECT id, source, target FROM pairs WHERE id IN (${ids.map(() => '?').join(',')})`)
    .all(...ids) as Array<{ id: number; source: string; target: string }>;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return positions.map((i) => {
    const pair = byId.get(f.ids[i]) ?? { id: f.ids[i], source: '', target: '' };
    const reasons = pipeline.flatMap((spec, k) =>
      runs[k].removed[i] ? [{ filter: k, kind: spec.kind, message: runs[k].reason(i, pair) }] : [],
    );
    return { pairId: pair.id, source: pair.source, target: pair.target, reasons };
  });
}
