import { datasetWork } from './dataset-work.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/**
 * Filter pipelines (preview, apply as a version) and keep-one-of-a-duplicate-group: core/data/filters, run in the
 * dataset worker thread (a first preview of 1M pairs takes seconds; the event loop stays free for other requests).
 */
type FilterChannel =
  'datasets.filterPreview' | 'datasets.filterApply' | 'datasets.duplicatePartners' | 'datasets.keepDuplicate';

export function filterHandlers(h: HandlerContext): HandlersOf<FilterChannel> {
  const work = datasetWork(h);
  return {
    'datasets.filterPreview': (input) => work('datasets.filterPreview', input, input.jobId),
    'datasets.filterApply': (input) => work('datasets.filterApply', input, input.jobId),
    'datasets.duplicatePartners': (input) => work('datasets.duplicatePartners', input),
    'datasets.keepDuplicate': (input) => work('datasets.keepDuplicate', input, input.jobId),
  };
}
