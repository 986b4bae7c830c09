import { applyFilters, keepDuplicate } from '../data/filters/apply.ts';
import { nearDuplicates } from '../data/filters/duplicates.ts';
import { previewFilters } from '../data/filters/preview.ts';
import { getDataset } from '../store/datasets.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/**
 * Filter pipelines (preview, apply as a version) and keep-one-of-a-duplicate-group: thin calls into core/data/filters.
 */
type FilterChannel =
  'datasets.filterPreview' | 'datasets.filterApply' | 'datasets.duplicatePartners' | 'datasets.keepDuplicate';

export function filterHandlers(h: HandlerContext): HandlersOf<FilterChannel> {
  const { db } = h;
  const ds = (name: string) => getDataset(db, name).id;
  return {
    'datasets.filterPreview': ({ name, pipeline, offset, limit }) =>
      previewFilters(db, ds(name), pipeline, { sampleOffset: offset, sampleLimit: limit }),
    'datasets.filterApply': ({ name, pipeline, label }) => applyFilters(db, ds(name), pipeline, { label }),
    'datasets.duplicatePartners': ({ name, pairId }) => nearDuplicates(db, ds(name), pairId),
    'datasets.keepDuplicate': ({ name, keepPairId, removePairIds }) =>
      keepDuplicate(db, ds(name), keepPairId, removePairIds),
  };
}
