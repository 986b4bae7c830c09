import { scorePairs } from '../data/pair-scores.ts';
import type { ForcedScore } from '../inference/forced-score.ts';
import { evaluationSentences, sentenceHistory } from '../inference/sentence-history.ts';
import { runSlices } from '../inference/slices.ts';
import { readCartography } from '../store/cartography.ts';
import { getDataset } from '../store/datasets.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/**
 * Per-pair numbers from models and per-sentence results (issue 15, model-stats): forced-decoding
 * scores of a dataset's pairs (scored in the inference process, chunk by chunk, with progress and
 * cancel), a run's data map, a sentence's history across runs, and a run's test set in slices.
 */
type ModelStatsChannel =
  'datasets.scorePairs' | 'datasets.cartography' | 'runs.sentenceHistory' | 'runs.evaluationSentences' | 'runs.slices';

export function modelStatsHandlers(h: HandlerContext): HandlersOf<ModelStatsChannel> {
  const { db } = h;
  return {
    'datasets.scorePairs': async ({ name, runId, checkpoint, jobId }) => {
      const dataset = getDataset(db, name);
      const model = h.model(runId, checkpoint);
      // The job's own controller for its whole life: each chunk is its own decoding request.
      const job = new AbortController();
      if (jobId) h.jobs.set(jobId, job);
      const t0 = performance.now();
      try {
        return await scorePairs(db, runId, dataset.id, {
          checkpoint: `${checkpoint} (step ${model.checkpoint.step})`,
          signal: AbortSignal.any([job.signal, h.closing]),
          scoreChunk: (pairs) => h.decode<ForcedScore[]>({ kind: 'forcedScore', model, pairs: [...pairs] }),
          onProgress: (done, total) => {
            if (!jobId) return;
            const rate = done / Math.max((performance.now() - t0) / 1000, 1e-3);
            const eta = total > done ? (total - done) / rate : 0;
            const fraction = total ? done / total : null;
            h.emit({ type: 'job.progress', jobId, rows: done, fraction, rowsPerSecond: rate, etaSeconds: eta });
          },
        });
      } finally {
        if (jobId && h.jobs.get(jobId) === job) h.jobs.delete(jobId);
      }
    },
    'datasets.cartography': ({ name, runId, pairIds, region, limit }) => {
      getDataset(db, name); // not_found names a missing dataset
      return readCartography(db, runId, { pairIds, region, limit });
    },
    'runs.sentenceHistory': ({ source, runIds }) => sentenceHistory(db, source, runIds),
    'runs.evaluationSentences': ({ runId, evaluationId, offset, limit }) =>
      evaluationSentences(db, runId, { evaluationId, offset, limit }),
    'runs.slices': ({ runId, evaluationId }) => runSlices(db, runId, evaluationId),
  };
}
