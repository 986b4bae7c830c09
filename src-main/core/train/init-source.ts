import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunConfig, type RunConfig } from '../../common/config.ts';
import { badInput } from '../../common/errors.ts';
import { resolveCheckpoint } from '../inference/resolve-checkpoint.ts';
import type { Db } from '../store/db.ts';
import { TextPipeline } from '../text/pipeline.ts';

/**
 * Fine-tuning: a new run that starts from another run's weights (JoeyNMT's `load_model`;
 * `train --init-from RUN[:CHECKPOINT]`). The new run keeps the parent's vocabulary (as a
 * JoeyNMT fine-tuning config points src_vocab/trg_vocab at the parent's files), so its
 * embeddings and output layer mean the same tokens; the config's tokenization options must
 * therefore be the parent's. Weights whose name and shape match the new model are loaded;
 * the others keep their initialisation and are reported (init-from.ts).
 * The parent is resolved and checked here without tfjs: the launch checks it in the app's process.
 */
export interface InitSource {
  /** the run it comes from (null: a checkpoint folder given by path) */
  runId: number | null;
  step: number | null;
  path: string;
}

/** The options that decide the vocabulary: they must equal the parent's. */
const VOCABULARY_KEYS = [
  'level',
  'lowercase',
  'bpe_merges',
  'joint_vocab',
  'src_voc_limit',
  'src_voc_min_freq',
  'trg_voc_limit',
  'trg_voc_min_freq',
] as const;

/** "3" | "3:best" | "3:latest" | "3:averaged" | "3:1200" | a checkpoint folder → where its files are. */
export function resolveInitSource(db: Db, loadModel: string): InitSource {
  const m = /^(\d+)(?::(.+))?$/.exec(loadModel.trim());
  if (m) {
    const runId = Number(m[1]);
    const ckpt = resolveCheckpoint(db, runId, m[2] ?? 'best');
    return { runId, step: ckpt.step, path: ckpt.path };
  }
  if (!existsSync(join(loadModel, 'model.json'))) {
    const message = `load_model: "${loadModel}" is neither RUN[:CHECKPOINT] nor a checkpoint folder (no model.json)`;
    throw badInput(message, { field: 'load_model' });
  }
  return { runId: null, step: null, path: loadModel };
}

/**
 * Checked at launch (before the run exists) and again by the trainer: the parent resolves,
 * and the config's vocabulary options are the parent's (the error names each that differs).
 */
export function checkInitSource(db: Db, config: RunConfig): InitSource | null {
  if (!config.load_model) return null;
  const source = resolveInitSource(db, config.load_model);
  const parent = parentConfig(source);
  const differ = VOCABULARY_KEYS.filter(
    (k) => parent[k] !== config[k] && (k !== 'bpe_merges' || config.level === 'bpe'),
  );
  if (differ.length > 0) {
    const what = differ.map((k) => `${k} ${JSON.stringify(config[k])} (${JSON.stringify(parent[k])} there)`).join(', ');
    const message =
      `load_model: the vocabulary must be that of ${describeInitSource(source)}, but this config has ${what}; ` +
      'leave these options as they were in that run';
    throw badInput(message, { field: differ[0] });
  }
  return source;
}

/** The parent's vocabulary: the new run encodes its data with it. */
export function parentPipeline(source: InitSource): TextPipeline {
  const json = JSON.parse(readFileSync(join(source.path, 'pipeline.json'), 'utf8'));
  return TextPipeline.fromJSON(json as Parameters<typeof TextPipeline.fromJSON>[0]);
}

function parentConfig(source: InitSource): RunConfig {
  return parseRunConfig(JSON.parse(readFileSync(join(source.path, 'config.json'), 'utf8')));
}

export function describeInitSource(source: InitSource): string {
  return source.runId === null ? source.path : `run ${source.runId} (step ${source.step})`;
}
