import type { FilterKind } from '../../../common/filters.ts';
import { copyFilter } from './copy.ts';
import { duplicateFilter } from './duplicate.ts';
import type { PairFilter } from './filter.ts';
import { languageFilter } from './language.ts';
import { lengthRatioFilter } from './length-ratio.ts';
import { lengthFilter } from './length.ts';
import { modelScoreFilter } from './model-score.ts';
import { nearDuplicateFilter } from './near-duplicate.ts';
import { numbersFilter } from './numbers.ts';
import { scriptFilter } from './script.ts';

/** Every filter kind and its implementation: the one table a new kind joins (its schema: common/filters.ts). */
export const FILTERS: { [K in FilterKind]: PairFilter<K> } = {
  script: scriptFilter,
  language: languageFilter,
  length: lengthFilter,
  length_ratio: lengthRatioFilter,
  duplicate: duplicateFilter,
  near_duplicate: nearDuplicateFilter,
  copy: copyFilter,
  numbers: numbersFilter,
  model_score: modelScoreFilter,
};
