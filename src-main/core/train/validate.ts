import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../../common/config.ts';
import { effectiveDecodeSettings } from '../../common/decode-settings.ts';
import { translateBatch } from '../decode/index.ts';
import { corpusBleu } from '../metrics/bleu.ts';
import { corpusChrf } from '../metrics/chrf.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import type { TextPipeline } from '../text/pipeline.ts';
import { batchTensors, epochBatches, makeBatch, type Example } from './batching.ts';
import { sequenceCrossEntropy } from './loss.ts';
import { pickSampleSentences } from './samples.ts';

/**
 * Validation as JoeyNMT does it: teacher-forced loss and perplexity over the
 * validation pairs, then greedy decoding of the same pairs scored with BLEU
 * (sacreBLEU-compatible, config.sacrebleu_tokenize) and chrF against the raw
 * references, plus a fixed set of sample translations to watch over time.
 *
 * valid/loss is the plain negative log-likelihood per target token (no label
 * smoothing), so valid/ppl = exp(valid/loss) is a true perplexity.
 */
export interface ValidationSet {
  examples: Example[];
  sources: string[];
  references: string[];
  /** indices (into examples) of the sentences recorded as samples at every validation (samples.ts) */
  sampleIdx: number[];
}

export interface ValidationResult {
  loss: number;
  ppl: number;
  bleu: number;
  chrf: number;
  bleuSignature: string;
  chrfSignature: string;
  samples: Array<{ idx: number; source: string; reference: string; hypothesis: string }>;
  sentences: number;
  seconds: number;
}

/** Picks the validation pairs once per run: the first max_valid_sents, in split order. */
export function makeValidationSet(
  pairs: ReadonlyArray<{ id: number; source: string; target: string }>,
  pipeline: TextPipeline,
  config: RunConfig,
): ValidationSet {
  const chosen = config.max_valid_sents > 0 ? pairs.slice(0, config.max_valid_sents) : pairs.slice();
  const examples = chosen.map((p) => ({
    id: p.id,
    src: pipeline.encodeSource(p.source),
    trg: pipeline.encodeTarget(p.target),
  }));
  const sources = chosen.map((p) => p.source);
  const sampleIdx = pickSampleSentences(sources, examples, config.print_valid_sents);
  return { examples, sources, references: chosen.map((p) => p.target), sampleIdx };
}

export async function validate(
  model: Seq2SeqModel,
  pipeline: TextPipeline,
  set: ValidationSet,
  config: RunConfig,
  onProgress: () => void = () => {},
): Promise<ValidationResult> {
  const started = performance.now();
  const nonEmpty = set.examples.map((e, i) => (e.src.length > 0 ? i : -1)).filter((i) => i >= 0);
  const examples = nonEmpty.map((i) => set.examples[i]);

  // 1. Teacher-forced NLL, batches of similar lengths (order does not change a sum).
  const byLength = examples.map((_, i) => i).sort((a, b) => examples[a].src.length - examples[b].src.length);
  const sorted = byLength.map((i) => examples[i]);
  let nll = 0;
  let tokens = 0;
  for (const idx of epochBatches(sorted, 0, {
    batchSize: validBatchSentences(config),
    batchType: 'sentence',
    seed: 0,
    shuffle: false,
  })) {
    const batch = makeBatch(sorted, idx);
    const batchNll = tf.tidy(() => {
      const t = batchTensors(batch);
      const out = model.forward(t.src, t.trgIn, false);
      return sequenceCrossEntropy(out.logits, t.trgOut, 0).nll;
    });
    nll += (await batchNll.data())[0];
    batchNll.dispose();
    tokens += batch.nTokens;
    onProgress();
    await yieldToEventLoop();
  }
  const loss = tokens > 0 ? nll / tokens : NaN;

  // 2. Greedy decoding of every validation source, in length-sorted chunks.
  const hypotheses: string[] = new Array(set.examples.length).fill('');
  const chunk = validBatchSentences(config);
  for (let start = 0; start < byLength.length; start += chunk) {
    const ids = byLength.slice(start, start + chunk).map((i) => nonEmpty[i]);
    const results = await translateBatch(
      model,
      ids.map((i) => set.examples[i].src),
      // Validation decodes greedily, whatever the config's beam or sampling.
      effectiveDecodeSettings(config, { beam_size: 1, n_best: 1, sampling: false }),
    );
    results.forEach((r, k) => {
      hypotheses[ids[k]] = pipeline.decodeTarget(r.hypotheses[0].ids).text;
    });
    onProgress();
    await yieldToEventLoop();
  }

  const refs = [set.references];
  const bleu = corpusBleu(hypotheses, refs, { tokenize: config.sacrebleu_tokenize, lowercase: config.lowercase });
  const chrf = corpusChrf(hypotheses, refs, { lowercase: config.lowercase });
  return {
    loss,
    ppl: Math.exp(loss),
    bleu: bleu.score,
    chrf: chrf.score,
    bleuSignature: bleu.signature,
    chrfSignature: chrf.signature,
    samples: set.sampleIdx.map((i) => ({
      idx: i,
      source: set.sources[i],
      reference: set.references[i],
      hypothesis: hypotheses[i],
    })),
    sentences: set.examples.length,
    seconds: (performance.now() - started) / 1000,
  };
}

function validBatchSentences(config: RunConfig): number {
  // A token-sized batch_size would be far too many sentences for decoding.
  return config.batch_type === 'sentence' ? Math.max(config.batch_size, 1) : 64;
}

export const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
