import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { parseRunConfig, type RunConfig } from '../../common/config.ts';
import { WorkbenchError } from '../../common/errors.ts';
import { buildModel } from '../model/build.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import { TextPipeline } from '../text/pipeline.ts';
import { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION } from './checkpoint-format.ts';

/**
 * Checkpoints in TensorFlow.js's format. A checkpoint is a folder:
 *
 *   model.json           tf.io ModelJSON: weightsManifest (paths + {name, shape, dtype})
 *                        and, in modelTopology, our model config and vocabulary sizes
 *   weights.bin          the weights, encoded by tf.io.encodeWeights (little-endian float32)
 *   pipeline.json        TextPipeline.toJSON(): tokenization settings + both vocabularies
 *   config.json          the run's full RunConfig
 *   training-state.json  only for resuming: step, epoch, data position, scheduler, RNG
 *   optimizer.json/.bin  only for resuming: optimizer slots (Adam moments), same encoding
 *
 * Folders are written under a temporary name and renamed when complete, so a
 * crash or kill -9 while saving never leaves a half checkpoint behind.
 */

const WEIGHTS_FILE = 'weights.bin';
const OPTIMIZER_WEIGHTS_FILE = 'optimizer.bin';

export interface CheckpointMeta {
  runId: number | null;
  step: number;
  epoch: number;
  srcVocabSize: number;
  trgVocabSize: number;
}

/** The resumable part: trainer state (JSON) and optimizer slots (tensors). */
export interface ResumeState {
  trainer: Record<string, unknown>;
  optimizer: { name: string; step: number; slots: tf.NamedTensorMap };
}

export interface SaveCheckpointInput {
  model: Seq2SeqModel;
  pipeline: TextPipeline;
  config: RunConfig;
  meta: Omit<CheckpointMeta, 'srcVocabSize' | 'trgVocabSize'>;
  resume?: ResumeState;
}

export function checkpointDirName(step: number): string {
  return `ckpt-${step}`;
}

/** Writes a checkpoint folder at `dir` (replacing one there) and returns its size in bytes. */
export async function saveCheckpoint(dir: string, input: SaveCheckpointInput): Promise<number> {
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const { model, pipeline, config } = input;
  const meta: CheckpointMeta = { ...input.meta, srcVocabSize: model.srcVocabSize, trgVocabSize: model.trgVocabSize };

  const { data, specs } = await tf.io.encodeWeights(Object.fromEntries(model.variables));
  const modelJson: tf.io.ModelJSON = {
    format: CHECKPOINT_FORMAT,
    generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`,
    convertedBy: null,
    modelTopology: { formatVersion: CHECKPOINT_FORMAT_VERSION, modelConfig: modelConfigOf(config), ...meta },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
    userDefinedMetadata: { workbench: { ...meta } },
  };
  let bytes = writeJson(join(tmp, 'model.json'), modelJson);
  bytes += writeBinary(join(tmp, WEIGHTS_FILE), data);
  bytes += writeJson(join(tmp, 'pipeline.json'), pipeline.toJSON());
  bytes += writeJson(join(tmp, 'config.json'), config);
  if (input.resume) bytes += await writeResumeState(tmp, input.resume);

  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return bytes;
}

async function writeResumeState(dir: string, state: ResumeState): Promise<number> {
  const { data, specs } = await tf.io.encodeWeights(state.optimizer.slots, 'optimizer');
  let bytes = writeBinary(join(dir, OPTIMIZER_WEIGHTS_FILE), data);
  bytes += writeJson(join(dir, 'optimizer.json'), {
    name: state.optimizer.name,
    step: state.optimizer.step,
    weightsManifest: [{ paths: [OPTIMIZER_WEIGHTS_FILE], weights: specs }],
  });
  bytes += writeJson(join(dir, 'training-state.json'), state.trainer);
  return bytes;
}

/** Drops the resume files of a checkpoint that is kept only as a "best" model. */
export function stripResumeState(dir: string): void {
  for (const f of ['training-state.json', 'optimizer.json', OPTIMIZER_WEIGHTS_FILE])
    rmSync(join(dir, f), { force: true });
}

export function hasResumeState(dir: string): boolean {
  return existsSync(join(dir, 'training-state.json')) && existsSync(join(dir, 'optimizer.json'));
}

export interface LoadedCheckpoint {
  model: Seq2SeqModel;
  pipeline: TextPipeline;
  config: RunConfig;
  meta: CheckpointMeta;
}

/**
 * Loads a checkpoint folder for decoding or export: rebuilds the model from its
 * config and vocabulary sizes and assigns the saved weights (every weight must match
 * the model's variables by name and shape). Initialise a backend first.
 */
export function loadCheckpoint(path: string): LoadedCheckpoint {
  const modelJsonPath = join(path, 'model.json');
  if (!existsSync(modelJsonPath))
    throw new WorkbenchError('not_found', `${path}: not a checkpoint (no model.json)`, { file: path });
  const modelJson = readJson(modelJsonPath) as tf.io.ModelJSON;
  if (modelJson.format !== CHECKPOINT_FORMAT) {
    throw new WorkbenchError(
      'bad_input',
      `${modelJsonPath}: format "${modelJson.format ?? ''}" is not a workbench checkpoint`,
      { file: modelJsonPath },
    );
  }
  const meta = (modelJson.userDefinedMetadata?.workbench ?? {}) as CheckpointMeta;
  const config = parseRunConfig(readJson(join(path, 'config.json')));
  const pipeline = TextPipeline.fromJSON(
    readJson(join(path, 'pipeline.json')) as Parameters<typeof TextPipeline.fromJSON>[0],
  );
  const weights = readWeights(path, modelJson.weightsManifest);
  const model = buildModel(config, meta.srcVocabSize, meta.trgVocabSize, config.random_seed);
  try {
    assignWeights(model, weights, modelJsonPath);
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
  return { model, pipeline, config, meta };
}

/** Copies saved weights into an existing model's variables (names and shapes must match). */
export function assignWeights(model: Seq2SeqModel, weights: tf.NamedTensorMap, source: string): void {
  const missing = [...model.variables.keys()].filter((n) => !(n in weights));
  const unexpected = Object.keys(weights).filter((n) => !model.variables.has(n));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new WorkbenchError(
      'bad_input',
      `${source}: weights do not match the model (missing: ` +
        `${missing.join(', ') || 'none'}; unexpected: ${unexpected.join(', ') || 'none'})`,
      { file: source },
    );
  }
  for (const [name, variable] of model.variables) {
    const w = weights[name];
    if (!tf.util.arraysEqual(w.shape, variable.shape)) {
      throw new WorkbenchError(
        'bad_input',
        `${source}: weight ${name} has shape [${w.shape}], the model expects [${variable.shape}]`,
        { file: source },
      );
    }
    variable.assign(w);
  }
}

/** The model weights of a checkpoint folder as named tensors (caller disposes). */
export function readModelWeights(path: string): tf.NamedTensorMap {
  const modelJson = readJson(join(path, 'model.json')) as tf.io.ModelJSON;
  return readWeights(path, modelJson.weightsManifest);
}

export function readResumeState(path: string): ResumeState {
  if (!hasResumeState(path))
    throw new WorkbenchError('not_found', `${path}: this checkpoint has no training state to resume from`, {
      file: path,
    });
  const opt = readJson(join(path, 'optimizer.json')) as {
    name: string;
    step: number;
    weightsManifest: tf.io.WeightsManifestConfig;
  };
  return {
    trainer: readJson(join(path, 'training-state.json')) as Record<string, unknown>,
    optimizer: { name: opt.name, step: opt.step, slots: readWeights(path, opt.weightsManifest) },
  };
}

function readWeights(dir: string, manifest: tf.io.WeightsManifestConfig): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const group of manifest) {
    const buffers = group.paths.map((p) => {
      const buf = readFileSync(join(dir, p));
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    });
    Object.assign(out, tf.io.decodeWeights(tf.io.concatenateArrayBuffers(buffers), group.weights));
  }
  return out;
}

/** The parts of the config that shape the network (recorded in model.json for readers). */
function modelConfigOf(config: RunConfig): Record<string, unknown> {
  const keys = [
    'model_type',
    'rnn_type',
    'num_layers',
    'bidirectional',
    'embedding_dim',
    'hidden_size',
    'attention',
    'luong_score',
    'input_feeding',
    'init_hidden',
    'tied_softmax',
    'tied_embeddings',
    'num_heads',
    'ff_size',
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, config[k]]));
}

/** sha256 of the pipeline's JSON: identifies tokenization + vocabularies (runs.vocab_hash). */
export function pipelineHash(pipeline: TextPipeline): string {
  return createHash('sha256').update(JSON.stringify(pipeline.toJSON())).digest('hex');
}

function writeJson(path: string, value: unknown): number {
  const text = JSON.stringify(value);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

function writeBinary(path: string, data: ArrayBuffer | ArrayBuffer[]): number {
  const buf = Buffer.from(tf.io.concatenateArrayBuffers(data));
  writeFileSync(path, buf);
  return buf.byteLength;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new WorkbenchError('bad_input', `${path}: ${(err as Error).message}`, { file: path });
  }
}
