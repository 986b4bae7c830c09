import { scorePairs } from '../../core/data/pair-scores.ts';
import { getDataset } from '../../core/store/datasets.ts';
import { chooseBackend } from '../../core/tf/backend-choice.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext } from '../context.ts';
import { formatEta, ProgressBar } from '../progress.ts';

/**
 * `workbench dataset score-pairs NAME --run R`: every pair of a dataset scored by forced decoding with a
 * run's checkpoint, stored for the model_score filter and the pair table's model_score sort (issue 15).
 * Decodes in this process; Ctrl-C stops it (the pairs scored so far stay stored).
 */
export const SCORE_PAIRS_USAGE = `usage: workbench dataset score-pairs NAME --run ID
                                   [--checkpoint best|latest|averaged|STEP] [--backend B] [--json]

  Scores every pair by forced decoding: the target's log-probability given its source, per target
  token (<eos> included), by the run's checkpoint. Stored per run and dataset (a new scoring replaces
  the old); the lowest are the likeliest misalignments: dataset show NAME --sort model_score --run ID.
`;

const OPTIONS = {
  run: { type: 'string' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function scorePairsCommand(args: string[], ctx: CliContext): Promise<number | void> {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, SCORE_PAIRS_USAGE);
  const name = positionals[0];
  if (!name) throw new UsageError('dataset score-pairs: missing NAME', SCORE_PAIRS_USAGE);
  if (!o.run) throw new UsageError('dataset score-pairs: --run ID is required', SCORE_PAIRS_USAGE);
  const db = ctx.store();
  const dataset = getDataset(db, name);
  const checkpoint = o.checkpoint ?? 'best';
  // tfjs and the model code load on first use: --help and a refused flag do not wait for them
  const { loadTranslator } = await import('../../core/inference/translator.ts');
  const { forcedScores } = await import('../../core/inference/forced-score.ts');
  const t = await loadTranslator(db, requireInt(o.run, 'run'), checkpoint, chooseBackend(o.backend));
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  const bar = new ProgressBar(ctx.isTTY && !o.json);
  const t0 = performance.now();
  try {
    const result = await scorePairs(db, t.runId, dataset.id, {
      checkpoint: `${checkpoint} (step ${t.checkpoint.step})`,
      signal: stop.signal,
      scoreChunk: (pairs) => forcedScores(t.model, t.pipeline, pairs),
      onProgress: (done, total) => {
        const rate = done / Math.max((performance.now() - t0) / 1000, 1e-3);
        const eta = formatEta(total > done ? (total - done) / rate : 0);
        bar.update(total ? done / total : null, `${done.toLocaleString()} pairs  ${Math.round(rate)}/s  ETA ${eta}`);
      },
    });
    bar.done();
    if (o.json) return ctx.printJson(result);
    const mean = result.mean === null ? 'no pair scored' : `mean ${result.mean.toFixed(3)} nats/token`;
    ctx.print(
      `scored ${result.scored} pairs of "${result.datasetName}" with run ${result.runId} ` +
        `(${result.checkpoint}) in ${result.seconds.toFixed(1)} s: ${mean}`,
    );
    ctx.print(`lowest first: workbench dataset show ${name} --sort model_score --run ${result.runId}`);
  } finally {
    bar.done();
    process.off('SIGINT', onSigint);
  }
}
