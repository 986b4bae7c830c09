import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { addCheckpoint } from '../src-main/core/store/checkpoints.ts';
import { recordMetrics } from '../src-main/core/store/run-metrics.ts';
import { createRun, finishRun } from '../src-main/core/store/runs.ts';
import { storeDir } from '../src-main/core/store/store-dir.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { checkpointDirName, saveCheckpoint } from '../src-main/core/train/checkpoint.ts';
import { sharpen } from './model-fixtures.ts';

/**
 * Runs with real checkpoints, made without a training loop (the inference and
 * export tests need saved models, not good ones): a tiny model is built, its
 * output layer sharpened so searches differ and finish, and saved with the
 * trainer's own checkpoint code into the run's folder, as training would.
 */
export const PAIRS = [
  { source: 'Hello.', target: 'नमस्ते।' },
  { source: 'How are you?', target: 'आप कैसे हैं?' },
  { source: 'What is your name?', target: 'आपका नाम क्या है?' },
  { source: 'My name is John.', target: 'मेरा नाम जॉन है।' },
  { source: 'Thank you.', target: 'धन्यवाद।' },
  { source: 'I am fine.', target: 'मैं ठीक हूँ।' },
  { source: 'Where is the station?', target: 'स्टेशन कहाँ है?' },
  { source: 'The water is cold.', target: 'पानी ठंडा है।' },
];

export const TINY: Partial<RunConfigInput> = {
  dataset: 'test',
  lowercase: true,
  embedding_dim: 8,
  hidden_size: 8,
  dropout: 0,
  emb_dropout: 0,
  bidirectional: true,
  attention: 'bahdanau',
  init_hidden: 'bridge',
  early_stopping_metric: 'bleu',
};

export function tempDb(): { db: Db; dir: string; dbPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wb-infer-'));
  const dbPath = join(dir, 'experiments.db');
  return { db: openDb(dbPath), dir, dbPath };
}

export interface FixtureCheckpoint {
  step: number;
  /** the "valid/bleu" recorded for it: the best checkpoint is the highest */
  bleu: number;
  seed: number;
}

/** A completed run with one checkpoint per entry (different weights each). */
export async function makeRun(
  db: Db,
  over: Partial<RunConfigInput> = {},
  checkpoints: FixtureCheckpoint[] = [{ step: 10, bleu: 5, seed: 1 }],
): Promise<{ runId: number; config: RunConfig }> {
  await initBackend('cpu');
  const config = parseRunConfig({ ...TINY, ...over });
  const run = createRun(db, { name: `fixture ${over.model_type ?? 'recurrent'}`, config });
  const pipeline = TextPipeline.fit(PAIRS, config);
  for (const c of checkpoints) {
    const model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, c.seed);
    sharpen(model);
    const dir = join(storeDir(db), 'runs', String(run.id), checkpointDirName(c.step));
    await saveCheckpoint(dir, { model, pipeline, config, meta: { runId: run.id, step: c.step, epoch: c.step / 2 } });
    model.dispose();
    addCheckpoint(db, run.id, {
      step: c.step,
      epoch: c.step / 2,
      path: dir,
      kind: 'best',
      metricName: 'bleu',
      metricValue: c.bleu,
    });
    recordMetrics(db, run.id, [
      { name: 'valid/bleu', step: c.step, epoch: c.step / 2, wall_time: 1000 + c.step, value: c.bleu },
      { name: 'train/loss', step: c.step, epoch: c.step / 2, wall_time: 1000 + c.step, value: 10 / c.step },
    ]);
  }
  finishRun(db, run.id, 'completed');
  return { runId: run.id, config };
}

/** Writes a line-aligned src/ref pair of files and returns their paths. */
export function writeTestSet(
  dir: string,
  pairs: ReadonlyArray<{ source: string; target: string }> = PAIRS,
): { src: string; ref: string } {
  const src = join(dir, 'test.en');
  const ref = join(dir, 'test.hi');
  writeFileSync(src, pairs.map((p) => p.source).join('\n') + '\n');
  writeFileSync(ref, pairs.map((p) => p.target).join('\n') + '\n');
  return { src, ref };
}
