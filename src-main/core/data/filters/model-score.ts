import { pairModelScores } from '../pair-scores.ts';
import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';

/**
 * A run's stored forced-decoding score per pair (pair-scores.ts: the target's
 * log-probability per token, `workbench dataset score-pairs`): a pair the model
 * finds unlikely is often misaligned. Pairs without a score, or whose score is
 * stale (edited since scoring), are kept: no evidence is not a reason to remove.
 */
export const modelScoreFilter: PairFilter<'model_score'> = {
  kind: 'model_score',
  run: (f, spec, { db, datasetId }) => {
    const stored = pairModelScores(db, spec.runId, datasetId);
    const score = new Float64Array(f.n).fill(NaN);
    for (let i = 0; i < f.n; i++) {
      const s = stored.get(f.ids[i]);
      if (s && !s.stale) score[i] = s.score;
    }
    return perPair(
      f,
      (i) => score[i] < spec.minScore, // NaN (unscored) compares false: kept
      (i) => `run ${spec.runId} scores it ${score[i].toFixed(2)} per token (under ${spec.minScore})`,
    );
  },
};
