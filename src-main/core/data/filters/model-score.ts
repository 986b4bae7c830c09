import { WorkbenchError } from '../../../common/errors.ts';
import type { PairFilter } from './filter.ts';

/**
 * A run's stored forced-decoding score per pair (the model-stats store: `workbench dataset score-pairs`).
 * First cut: the store's reader lands with the model-stats engineer's commit.
 */
export const modelScoreFilter: PairFilter<'model_score'> = {
  kind: 'model_score',
  run: () => {
    throw new WorkbenchError('unsupported', 'model_score: per-pair scores are not available in this build yet');
  },
};
