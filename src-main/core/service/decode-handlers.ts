import type { Output } from '../../common/contract.ts';
import { effectiveDecodeSettings } from '../../common/decode-settings.ts';
import { sentencesFromSplit, twoRunBootstrap, type RunsSignificance } from '../inference/compare-runs.ts';
import { scoreEvaluation } from '../inference/evaluate.ts';
import type { InferenceTask } from '../inference/protocol.ts';
import { splitEvaluationSet } from '../inference/split-evaluation.ts';
import { getRun } from '../store/runs.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';

/** Everything that decodes: it runs in the inference process (h.decode), off the event loop. */
type DecodeChannel =
  'runs.evaluate' | 'compare.bootstrap' | 'compare.translations' | 'playground.translate' | 'playground.detokenize';

export function decodeHandlers(h: HandlerContext): HandlersOf<DecodeChannel> {
  const { db } = h;
  return {
    'playground.detokenize': async ({ runId, checkpoint, tokens }) => ({
      text: await h.decode<string>({ kind: 'detokenize', model: h.model(runId, checkpoint), tokens }),
    }),
    'runs.evaluate': async ({ runId, checkpoint, part, maxSentences, settings, jobId }) => {
      const set = splitEvaluationSet(db, runId, part, maxSentences);
      const { config } = getRun(db, runId);
      const model = h.model(runId, checkpoint);
      const t0 = performance.now();
      const task: InferenceTask = { kind: 'translate', model, texts: set.sources, settings, textOnly: true };
      const hyps = await h.decode<string[]>(task, jobId);
      const seconds = (performance.now() - t0) / 1000;
      const { return_topk: _k, return_tree: _t, ...asked } = settings;
      const prefix = settings.prefix ? { prefix: settings.prefix } : {};
      const decoding = { ...effectiveDecodeSettings(config, asked), ...prefix };
      const files = { src: set.where, ref: set.where };
      const { sources, refs, pairIds } = set;
      const input = { runId, checkpoint: model.checkpoint, files, sources, pairIds, refs, hyps, decoding, seconds };
      const r = scoreEvaluation(db, input, config.sacrebleu_tokenize);
      const { bleu, chrf, signature, chrfSignature, sentences } = r;
      // Stored (a store was given): the id is the evaluation's row.
      const createdAt = new Date().toISOString();
      const stored = {
        id: r.id as number,
        checkpoint: r.checkpoint,
        srcPath: set.where,
        refPath: set.where,
        createdAt,
      };
      return { ...stored, decoding, bleu, chrf, signature, chrfSignature, sentences, seconds };
    },
    'compare.bootstrap': async ({ baseline, system, samples, maxSentences, split, jobId }) => {
      // The part named (default test): an empty one is refused, naming it, never swapped for another.
      const data = sentencesFromSplit(db, baseline, split, maxSentences ?? 500);
      const task: InferenceTask = {
        kind: 'significance',
        baseline: h.model(baseline),
        systems: [h.model(system)],
        data,
        options: { method: 'bs', n_samples: samples ?? 1000 },
      };
      // The CLI's N-run significance (BLEU and chrF); the panel shows BLEU of the one pair.
      return twoRunBootstrap(await h.decode<RunsSignificance>(task, jobId));
    },
    'compare.translations': async ({ runIds, sources, jobId }) => {
      const models = runIds.map((id) => h.model(id));
      const out = [];
      for (const model of models)
        out.push({
          runId: model.runId,
          translations: await h.decode<string[]>(
            { kind: 'translate', model, texts: sources, settings: {}, textOnly: true },
            jobId,
          ),
        });
      return out;
    },
    'playground.translate': ({ runId, checkpoint, texts, settings, jobId }) =>
      h.decode<Output<'playground.translate'>>(
        { kind: 'translate', model: h.model(runId, checkpoint), texts, settings },
        jobId,
      ),
  };
}
