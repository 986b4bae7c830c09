import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../common/config.ts';
import { getDatasetByName } from '../data/builtin.ts';
import { ensureSplit } from '../data/splits.ts';
import { recordRunVersion } from '../data/version-runs.ts';
import { buildModel } from '../model/build.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import { retryWhileBusy } from '../store/busy.ts';
import { latestCheckpoint } from '../store/checkpoints.ts';
import { iterateSplitPairs } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import type { RunRecord, RunSetup } from '../store/runs.ts';
import { TextPipeline } from '../text/pipeline.ts';
import type { BackendInfo } from '../tf/backend.ts';
import { withinLength, type Example } from '../train/batching.ts';
import { loadCheckpoint, pipelineHash, readResumeState, type ResumeState } from '../train/checkpoint.ts';
import { EncodedExamples } from '../train/encoded-examples.ts';
import { type InitReport, loadMatchingWeights } from '../train/init-from.ts';
import { checkInitSource, parentPipeline } from '../train/init-source.ts';
import { makeValidationSet, type ValidationSet } from '../train/validate.ts';
import { machineEnvironment } from './machine-environment.ts';

/**
 * Everything a training run needs before its first update: the dataset and its
 * split, the text pipeline and model (fitted and built, or restored from the
 * latest checkpoint), the training pairs encoded into a file next to the run
 * (read back batch by batch) and the validation set. Also what the run records
 * about its setup (data identity, backend, environment).
 */
export interface PreparedRun {
  model: Seq2SeqModel;
  pipeline: TextPipeline;
  /** the checkpoint's trainer and optimizer state, when resuming */
  resume: ResumeState | undefined;
  /** the step of the checkpoint resumed from: what was recorded after it is dropped */
  resumedFromStep: number | null;
  train: EncodedExamples;
  valid: ValidationSet;
  setup: RunSetup;
  /** frees the model and deletes the encoded training file */
  dispose(): void;
}

export interface PrepareOptions {
  backend: BackendInfo;
  /** continue from the run's latest checkpoint, if it has one */
  resume: boolean;
  /** the run's folder (runs/<id>/), where the encoded training file goes */
  runDir: string;
  /** a sentence for the progress line as each stage starts */
  onStage?: (message: string) => void;
}

export async function prepareRun(db: Db, run: RunRecord, opts: PrepareOptions): Promise<PreparedRun> {
  const { config } = run;
  const dataset = await getDatasetByName(db, config.dataset);
  const split = await retryWhileBusy(() =>
    ensureSplit(db, dataset.id, config.split, {
      seed: config.split_seed,
      valid_ratio: config.valid_ratio,
      test_ratio: config.test_ratio,
    }),
  );
  // The data it trains on, named: the version holding the head now (a snapshot "for run N" if the head moved).
  const version = await retryWhileBusy(() => recordRunVersion(db, run.id, dataset.id));
  const latest = opts.resume ? latestCheckpoint(db, run.id) : undefined;
  let model: Seq2SeqModel | undefined;
  let train: EncodedExamples | undefined;
  try {
    let pipeline: TextPipeline;
    let resume: ResumeState | undefined;
    const initSource = latest ? null : checkInitSource(db, config);
    let initReport: InitReport | undefined;
    if (latest) {
      ({ model, pipeline } = loadCheckpoint(latest.path));
      resume = readResumeState(latest.path);
    } else if (initSource) {
      // Fine-tuning (load_model): the parent's vocabulary, and its weights wherever they fit.
      opts.onStage?.('loading the weights to start from');
      pipeline = parentPipeline(initSource);
      model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, config.random_seed);
      initReport = loadMatchingWeights(model, initSource);
    } else {
      opts.onStage?.('fitting the vocabularies');
      // Each pass of the fit reads the pairs from the store again: the split is never held whole.
      pipeline = TextPipeline.fit({ [Symbol.iterator]: () => iterateSplitPairs(db, split.id, 'train') }, config);
      model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, config.random_seed);
    }
    opts.onStage?.('encoding the training pairs');
    mkdirSync(opts.runDir, { recursive: true });
    const counts = { read: 0, kept: 0 };
    const maxId = Math.max(pipeline.srcVocab.size, pipeline.trgVocab.size) - 1;
    train = EncodedExamples.write(
      join(opts.runDir, 'train-examples.bin'),
      trainingExamples(db, split.id, pipeline, config, counts),
      maxId,
    );
    const validation = validationPairs(db, split.id, config, counts.read);
    const { backend } = opts;
    const setup: RunSetup = {
      datasetId: dataset.id,
      splitId: split.id,
      datasetHash: version.contentHash, // datasetHash of the head it recorded (one pass, not two)
      splitHash: split.hash,
      vocabHash: pipelineHash(pipeline),
      backend: backend.name,
      environment: {
        ...machineEnvironment(),
        backend: backend.name,
        backend_attempts: backend.attempts,
        ...(backend.adapter ? { adapter: backend.adapter } : {}),
        src_vocab: pipeline.srcVocab.size,
        trg_vocab: pipeline.trgVocab.size,
        train_pairs: counts.kept,
        skipped_long_pairs: counts.read - counts.kept,
        valid_pairs: validation.count,
        valid_on_train: validation.onTrain,
        parameters: [...model.variables.values()].reduce((s, v) => s + v.size, 0),
        ...(initReport ? { init_from: initReport } : {}),
      },
    };
    const owned = { model, train };
    return {
      model,
      pipeline,
      resume,
      resumedFromStep: latest ? latest.step : null,
      train,
      valid: makeValidationSet(validation.pairs, pipeline, config),
      setup,
      dispose: () => {
        owned.model.dispose();
        owned.train.close();
      },
    };
  } catch (err) {
    model?.dispose();
    train?.close();
    throw err;
  }
}

/** The split's training pairs encoded, in split order, without those outside max_sent_length (counted). */
function* trainingExamples(
  db: Db,
  splitId: number,
  pipeline: TextPipeline,
  config: RunConfig,
  counts: { read: number; kept: number },
): Generator<Example> {
  for (const p of iterateSplitPairs(db, splitId, 'train')) {
    counts.read++;
    const e = { id: p.id, src: pipeline.encodeSource(p.source), trg: pipeline.encodeTarget(p.target) };
    if (!withinLength(e, config.max_sent_length)) continue;
    counts.kept++;
    yield e;
  }
}

type TextPair = { id: number; source: string; target: string };

/**
 * The pairs validation may use: the first max_valid_sents of the valid part, and how
 * many it has. A split without validation pairs (the tutorial's six sentences)
 * validates on the training pairs.
 */
function validationPairs(db: Db, splitId: number, config: RunConfig, trainCount: number) {
  const limit = config.max_valid_sents > 0 ? config.max_valid_sents : Infinity;
  const pairs: TextPair[] = [];
  let count = 0;
  for (const p of iterateSplitPairs(db, splitId, 'valid')) if (count++ < limit) pairs.push(p);
  if (count > 0) return { pairs, count, onTrain: false };
  for (const p of iterateSplitPairs(db, splitId, 'train')) {
    if (pairs.length >= limit) break; // leaving the loop ends the statement
    pairs.push(p);
  }
  return { pairs, count: trainCount, onTrain: true };
}
