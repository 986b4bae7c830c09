import type { CheckpointDto, RunDetailDto, RunSummaryDto } from '../../common/contract.ts';
import { adapterLabel, recordedAdapter } from '../../common/gpu-adapter.ts';
import { listEvaluations } from '../inference/evaluate.ts';
import type { Db } from '../store/db.ts';
import { listCheckpoints } from '../store/checkpoints.ts';
import { getMetricSeries, getMetricStats, getSamples } from '../store/run-metrics.ts';
import { type RunRecord } from '../store/runs.ts';
import { metricMode } from '../train/metric-mode.ts';
import { checkpointLabels } from './checkpoint-labels.ts';
import { seriesColumns } from './series-columns.ts';

/** A run as the views list it: status, progress, best validation scores, latest test score, speed. */
export function toSummary(db: Db, r: RunRecord): RunSummaryDto {
  const m = getMetricStats(db, r.id, ['valid/bleu', 'valid/chrf', 'valid/ppl']);
  // the speed from the series' columns (cached, else one blob): an avg() over its rows read 100k rows a run,
  // a second for a list of 27 such runs, on every refresh of the list
  const speed = seriesColumns(db, r.id, 'train/tokens_per_s').values;
  const max = (k: string) => m[k]?.max ?? null;
  const min = (k: string) => m[k]?.min ?? null;
  const evals = listEvaluations(db, r.id);
  const lastEval = evals[evals.length - 1];
  const adapter = recordedAdapter(r.environment);

  return {
    id: r.id,
    name: r.name,
    status: r.status,
    datasetName: r.datasetName,
    preset: r.preset,
    config: r.config,
    backend: r.backend,
    step: r.step,
    progress: r.progress,
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    parentRunId: r.parentRunId,
    adapter: adapter ? adapterLabel(adapter) : null,
    best: { bleu: max('valid/bleu'), chrf: max('valid/chrf'), ppl: min('valid/ppl') },
    test: lastEval ? { bleu: lastEval.bleu, chrf: lastEval.chrf, signature: lastEval.signature } : null,
    tokensPerSecond: speed.length ? speed.reduce((a, v) => a + v, 0) / speed.length : null,
    tags: r.tags,
    notes: r.notes,
    sweepId: r.sweepId,
  };
}

/** A run's checkpoints, each labelled with its rank by the early-stopping metric (checkpoint-labels.ts). */
export function checkpointDtos(db: Db, r: RunRecord): CheckpointDto[] {
  const checkpoints = listCheckpoints(db, r.id);
  const labels = checkpointLabels(checkpoints, metricMode(r.config.early_stopping_metric));
  return checkpoints.map((c) => ({
    id: c.id,
    step: c.step,
    epoch: c.epoch,
    kind: c.kind,
    label: labels.get(c.id) ?? c.kind,
    metricName: c.metricName,
    metricValue: c.metricValue,
    createdAt: c.createdAt,
  }));
}

export function toDetail(db: Db, r: RunRecord): RunDetailDto {
  return {
    ...toSummary(db, r),
    environment: r.environment,
    metrics: getMetricSeries(db, r.id),
    samples: getSamples(db, r.id),
    checkpoints: checkpointDtos(db, r),
    evaluations: listEvaluations(db, r.id).map((e) => ({
      id: e.id,
      checkpoint: e.checkpoint,
      srcPath: e.srcPath,
      refPath: e.refPath,
      decoding: e.decoding,
      bleu: e.bleu,
      chrf: e.chrf,
      signature: e.signature,
      createdAt: e.createdAt,
    })),
  };
}
