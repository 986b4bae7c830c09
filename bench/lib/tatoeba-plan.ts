// The batches both sides of bench/train.ts train on: the Tatoeba pairs (../shared/data/tatoeba-hin-eng.tsv)
// split and encoded as the trainer does for a preset, cut into the trainer's shuffled, length-bucketed
// batches epoch after epoch until there are enough, and written to JSON for the PyTorch twin
// (bench/pytorch_train.py) with the examples they index.
import { readFileSync, writeFileSync } from 'node:fs';
import type { RunConfig } from '../../src-main/common/config.ts';
import { Rng } from '../../src-main/core/rng.ts';
import { TextPipeline } from '../../src-main/core/text/pipeline.ts';
import { EOS_ID, PAD_ID, SOS_ID } from '../../src-main/core/text/vocab.ts';
import { epochBatches, withinLength, type Example } from '../../src-main/core/train/batching.ts';

export const TATOEBA_TSV = new URL('../../../shared/data/tatoeba-hin-eng.tsv', import.meta.url).pathname;

export interface BatchPlan {
  srcVocab: number;
  trgVocab: number;
  pad: number;
  sos: number;
  eos: number;
  examples: Array<[number[], number[]]>;
  /** indices into examples, one list per batch, in training order */
  batches: number[][];
}

/**
 * The train side of the config's split (Tatoeba TSV, header skipped, shuffled by split_seed), the
 * pipeline fitted on it, and its pairs encoded and length-filtered as the trainer does.
 */
export function tatoebaTrainSide(
  config: RunConfig,
  tsv = TATOEBA_TSV,
): { pipeline: TextPipeline; examples: Example[] } {
  const pairs = readFileSync(tsv, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line, id) => {
      const [source, target] = line.split('\t');
      return { id, source, target };
    });
  new Rng(config.split_seed).shuffle(pairs);
  const trainPairs = pairs.slice(0, Math.round(pairs.length * (1 - config.valid_ratio - config.test_ratio)));
  const pipeline = TextPipeline.fit(trainPairs, config);
  const examples: Example[] = trainPairs
    .map((p) => ({ id: p.id, src: pipeline.encodeSource(p.source), trg: pipeline.encodeTarget(p.target) }))
    .filter((e) => withinLength(e, config.max_sent_length));
  return { pipeline, examples };
}

/** The train side of the config's split, encoded and length-filtered, and `count` batches of it. */
export function tatoebaPlan(config: RunConfig, count: number, tsv = TATOEBA_TSV): BatchPlan {
  const { pipeline, examples } = tatoebaTrainSide(config, tsv);
  const batches: number[][] = [];
  const opts = { batchSize: config.batch_size, batchType: config.batch_type, seed: config.random_seed, shuffle: true };
  for (let epoch = 1; batches.length < count; epoch++) batches.push(...epochBatches(examples, epoch, opts));
  return {
    srcVocab: pipeline.srcVocab.size,
    trgVocab: pipeline.trgVocab.size,
    pad: PAD_ID,
    sos: SOS_ID,
    eos: EOS_ID,
    examples: examples.map((e) => [e.src, e.trg]),
    batches: batches.slice(0, count),
  };
}

export function writePlan(path: string, plan: BatchPlan, config: RunConfig): void {
  const c = config;
  const model = {
    embedding_dim: c.embedding_dim,
    hidden_size: c.hidden_size,
    dropout: c.dropout,
    attention: c.attention,
  };
  const train = {
    learning_rate: c.learning_rate,
    adam_betas: c.adam_betas,
    clip_grad_norm: c.clip_grad_norm,
    seed: c.random_seed,
  };
  writeFileSync(path, JSON.stringify({ ...plan, config: { ...model, ...train, bidirectional: c.bidirectional } }));
}

export function readPlan(path: string): BatchPlan {
  return JSON.parse(readFileSync(path, 'utf8')) as BatchPlan;
}
