import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { parseRunConfig, type ConfigKey, type RunConfig } from '../../common/config.ts';
import { badInput, WorkbenchError } from '../../common/errors.ts';
import { TextPipeline } from '../text/pipeline.ts';
import { CHECKPOINT_FORMAT } from '../train/checkpoint-format.ts';
import { modelLayout, type ParamSpec } from './model-layout.ts';

/**
 * An exported model from outside (a folder or a .zip) is untrusted input. It is
 * brought into a private staging folder and checked there, before anything of
 * it is allocated or registered:
 *  - only plain files of the artefact itself: zip entries with traversal or
 *    absolute names are refused (not flattened); in a folder, a file that is a
 *    link to outside it is refused;
 *  - weightsManifest paths are plain file names inside the artefact;
 *  - the config's size (parameters, from the config and vocabulary sizes alone)
 *    is within LIMITS before any weights are read;
 *  - every weight is float32 with a shape of non-negative integers, the names and
 *    shapes are exactly those the config builds (model-layout.ts), and each weight
 *    group's files hold exactly the bytes its shapes need.
 * Every refusal names the artefact, the file and the field.
 */
export const MODEL_FILES = ['model.json', 'weights.bin', 'pipeline.json', 'config.json'];
const DESCRIPTION_FILES = ['model.json', 'pipeline.json', 'config.json'];
const OPTIONAL_FILES = ['metrics.json', 'README.md'];

export const LIMITS = {
  /** 2 GB of float32 weights: what one process can hold with room to decode. */
  parameters: 500_000_000,
  weightBytes: 2_000_000_000,
  /** pipeline.json holds vocabularies and BPE merges: megabytes, not gigabytes. */
  jsonBytes: 256 << 20,
};
const ZIP_BYTES = LIMITS.weightBytes + 4 * LIMITS.jsonBytes;

/** A file name the artefact may refer to: no folders, no parent, not hidden. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export interface StagedModel {
  config: RunConfig;
  step: number;
  epoch: number;
  /** the exporting run's name, from metrics.json */
  exportedName?: string;
  /** the staged files to register with the run (all plain files in the staging folder) */
  files: string[];
}

interface WeightGroup {
  paths: string[];
  bytes: number;
}

/**
 * Copies (folder) or unpacks (zip) the artefact at `src` into the empty folder
 * `staging` and validates it there. The caller owns `staging` and removes it.
 */
export function stageModel(src: string, staging: string): StagedModel {
  const isZip = statSync(src).isFile();
  const folder = isZip ? null : new SourceFolder(src);
  if (isZip) unpackZip(src, staging);
  else for (const f of [...DESCRIPTION_FILES, ...OPTIONAL_FILES]) folder?.copy(f, staging, LIMITS.jsonBytes);
  for (const f of MODEL_FILES) {
    if (!existsSync(join(staging, f)) && !(f === 'weights.bin' && folder?.has(f)))
      throw badInput(`${src}: not an exported model (missing ${f})`, { file: src });
  }
  const described = readDescription(src, staging);
  // Weights are read only now, after the config passed the size limits.
  const weightFiles = new Set<string>();
  for (const g of described.groups) {
    if (folder) {
      const sizes = g.paths.map((p) => folder.size(p));
      checkGroupBytes(src, g, sizes);
      for (const p of g.paths) folder.copy(p, staging, LIMITS.weightBytes);
    }
    checkGroupBytes(
      src,
      g,
      g.paths.map((p) => stagedSize(src, staging, p)),
    );
    for (const p of g.paths) weightFiles.add(p);
  }
  const files = [
    ...new Set([...DESCRIPTION_FILES, ...weightFiles, ...OPTIONAL_FILES.filter((f) => existsSync(join(staging, f)))]),
  ];
  return { ...described, files };
}

/** Files taken from a folder artefact: plain files whose real path is inside it. */
class SourceFolder {
  private readonly real: string;
  constructor(private readonly dir: string) {
    this.real = realpathSync(dir);
  }

  has(name: string): boolean {
    try {
      lstatSync(join(this.dir, name));
      return true;
    } catch {
      return false;
    }
  }

  /** The real path of `name`, refused when it leads outside the folder or is not a file; null when absent. */
  private resolve(name: string): { path: string; size: number } | null {
    if (!this.has(name)) return null;
    let real: string;
    try {
      real = realpathSync(join(this.dir, name));
    } catch {
      throw badInput(`${this.dir}: ${name} is a broken link`, { file: join(this.dir, name) });
    }
    if (!real.startsWith(this.real + sep))
      throw badInput(`${this.dir}: ${name} is a link to outside the model folder`, { file: join(this.dir, name) });
    const st = statSync(real);
    if (!st.isFile()) throw badInput(`${this.dir}: ${name} is not a file`, { file: join(this.dir, name) });
    return { path: real, size: st.size };
  }

  size(name: string): number {
    const f = this.resolve(name);
    if (!f) throw badInput(`${this.dir}: model.json lists ${name}, which is missing`, { file: this.dir });
    return f.size;
  }

  copy(name: string, staging: string, maxBytes: number): void {
    const f = this.resolve(name);
    if (!f) return;
    if (f.size > maxBytes)
      throw badInput(`${this.dir}: ${name} is ${f.size} bytes, more than the ${maxBytes} allowed`, {
        file: join(this.dir, name),
      });
    copyFileSync(f.path, join(staging, name));
  }
}

/** A zip entry name that stays where it says: relative, no '..', no drive, no backslash. */
function checkEntryName(zip: string, name: string): void {
  const segments = name.replace(/\/$/, '').split('/');
  const plain =
    !name.startsWith('/') &&
    !/^[A-Za-z]:/.test(name) &&
    !/[\\\0]/.test(name) &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..');
  if (!plain)
    throw badInput(`${zip}: zip entry "${name}" is not a plain relative name; refusing the archive`, { file: zip });
}

/**
 * Unpacks the artefact's files into `staging`: the entries at the top of the
 * archive, or inside its one top folder (a zipped export folder).
 */
function unpackZip(zip: string, staging: string): void {
  const size = statSync(zip).size;
  if (size > ZIP_BYTES)
    throw badInput(`${zip}: ${size} bytes, larger than any model the workbench loads`, { file: zip });
  let declared = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(zip), {
      filter: (f) => {
        checkEntryName(zip, f.name);
        declared += f.originalSize;
        if (declared > ZIP_BYTES) throw badInput(`${zip}: unpacks to more than ${ZIP_BYTES} bytes`, { file: zip });
        return !f.name.endsWith('/');
      },
    });
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    throw badInput(`${zip}: not a zip archive (${(err as Error).message})`, { file: zip });
  }
  const names = Object.keys(entries);
  const tops = new Set(names.map((n) => n.split('/')[0]));
  const prefix = tops.size === 1 && names.every((n) => n.includes('/')) ? `${[...tops][0]}/` : '';
  for (const [name, data] of Object.entries(entries)) {
    const rel = name.slice(prefix.length);
    if (!PLAIN_NAME.test(rel)) continue; // deeper folders and hidden files are not part of an export
    writeFileSync(join(staging, rel), data);
  }
}

function stagedSize(src: string, staging: string, name: string): number {
  try {
    return statSync(join(staging, name)).size;
  } catch {
    throw badInput(`${src}: model.json lists ${name}, which is missing`, { file: src });
  }
}

function checkGroupBytes(src: string, g: WeightGroup, sizes: number[]): void {
  const have = sizes.reduce((a, b) => a + b, 0);
  if (have !== g.bytes)
    throw badInput(`${src}: ${g.paths.join(' + ')} holds ${have} bytes; model.json describes ${g.bytes}`, {
      file: src,
    });
}

function readJson(src: string, staging: string, name: string): unknown {
  const file = join(staging, name);
  if (statSync(file).size > LIMITS.jsonBytes)
    throw badInput(`${src}: ${name} is larger than ${LIMITS.jsonBytes} bytes`, { file: src });
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw badInput(`${src}: ${name} is not valid JSON (${(err as Error).message})`, { file: src });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** model.json, config.json and pipeline.json: consistent with each other and within LIMITS. */
function readDescription(src: string, staging: string): Omit<StagedModel, 'files'> & { groups: WeightGroup[] } {
  const fail = (file: string, message: string) => badInput(`${src}: ${file}: ${message}`, { file: src });
  const model = readJson(src, staging, 'model.json');
  if (!isRecord(model)) throw fail('model.json', 'not a JSON object');
  if (model.format !== CHECKPOINT_FORMAT)
    throw badInput(`${src}: model.json has format "${String(model.format ?? '')}", not a workbench model`, {
      file: src,
    });
  const meta =
    isRecord(model.userDefinedMetadata) && isRecord(model.userDefinedMetadata.workbench)
      ? model.userDefinedMetadata.workbench
      : {};
  const count = (field: string, min: number): number => {
    const v = meta[field];
    if (!Number.isSafeInteger(v) || (v as number) < min)
      throw fail(
        'model.json',
        `userDefinedMetadata.workbench.${field} must be an integer >= ${min}, got ${JSON.stringify(v)}`,
      );
    return v as number;
  };
  const srcVocab = count('srcVocabSize', 1);
  const trgVocab = count('trgVocabSize', 1);
  const step = meta.step === undefined ? 0 : count('step', 0);
  const epoch = meta.epoch === undefined ? 0 : Number(meta.epoch);
  if (!(Number.isFinite(epoch) && epoch >= 0))
    throw fail(
      'model.json',
      `userDefinedMetadata.workbench.epoch must be a number >= 0, got ${JSON.stringify(meta.epoch)}`,
    );

  let config: RunConfig;
  try {
    config = parseRunConfig(readJson(src, staging, 'config.json'));
  } catch (err) {
    if (err instanceof WorkbenchError && err.where.file === src) throw err;
    throw fail('config.json', (err as Error).message);
  }
  let pipeline: TextPipeline;
  try {
    pipeline = TextPipeline.fromJSON(
      readJson(src, staging, 'pipeline.json') as Parameters<typeof TextPipeline.fromJSON>[0],
    );
  } catch (err) {
    if (err instanceof WorkbenchError && err.where.file === src) throw err;
    throw fail('pipeline.json', `not a workbench pipeline (${(err as Error).message})`);
  }
  if (pipeline.srcVocab.size !== srcVocab)
    throw fail(
      'model.json',
      `srcVocabSize ${srcVocab} differs from pipeline.json's source vocabulary (${pipeline.srcVocab.size})`,
    );
  if (pipeline.trgVocab.size !== trgVocab)
    throw fail(
      'model.json',
      `trgVocabSize ${trgVocab} differs from pipeline.json's target vocabulary (${pipeline.trgVocab.size})`,
    );

  const layout = modelLayout(config, srcVocab, trgVocab);
  const parameters = layout.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  if (parameters > LIMITS.parameters) {
    const dims: ConfigKey[] = [
      'model_type',
      'num_layers',
      'hidden_size',
      'embedding_dim',
      ...(config.model_type === 'transformer' ? (['ff_size'] as const) : []),
    ];
    throw fail(
      'config.json',
      `${dims.map((k) => `${k} ${String(config[k])}`).join(', ')} ` +
        `with vocabularies of ${srcVocab} and ${trgVocab} make ` +
        `${parameters.toLocaleString('en-US')} parameters; the workbench ` +
        `loads at most ${LIMITS.parameters.toLocaleString('en-US')}`,
    );
  }
  const groups = readManifest(src, model.weightsManifest, layout);
  return { config, step, epoch, groups, exportedName: exportedRunName(src, staging) };
}

/** The manifest's groups, checked entry by entry and as a whole against the layout. */
function readManifest(src: string, manifest: unknown, layout: ParamSpec[]): WeightGroup[] {
  const fail = (message: string) => badInput(`${src}: model.json: ${message}`, { file: src });
  if (!Array.isArray(manifest)) throw fail('weightsManifest must be a list');
  const expected = new Map(layout.map((p) => [p.name, p.shape]));
  const seen = new Set<string>();
  const unexpected: string[] = [];
  const groups = manifest.map((group: unknown, g): WeightGroup => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw fail(`weightsManifest[${g}] must have "paths" and "weights" lists`);
    const paths = group.paths.map((p: unknown, i) => {
      if (typeof p !== 'string' || !PLAIN_NAME.test(p))
        throw fail(
          `weightsManifest[${g}].paths[${i}] ${JSON.stringify(p)} must ` +
            `be a file name inside the model (letters, digits, . _ -)`,
        );
      return p;
    });
    let bytes = 0;
    group.weights.forEach((spec: unknown, i) => {
      if (!isRecord(spec) || typeof spec.name !== 'string')
        throw fail(`weightsManifest[${g}].weights[${i}] must have a string "name"`);
      const { name, shape, dtype } = spec;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
        throw fail(`weight ${name}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
      if (dtype !== 'float32')
        throw fail(`weight ${name}: dtype ${JSON.stringify(dtype)} is not float32 (workbench weights are float32)`);
      if (spec.quantization !== undefined) throw fail(`weight ${name}: quantized weights are not supported`);
      if (seen.has(name)) throw fail(`weight ${name} is listed twice`);
      seen.add(name);
      const want = expected.get(name);
      if (!want) {
        unexpected.push(name);
        return;
      }
      if (shape.length !== want.length || shape.some((d, k) => d !== want[k])) {
        throw fail(
          `weight ${name} has shape [${shape.join(',')}]; config.json and the vocabularies give [${want.join(',')}]`,
        );
      }
      bytes += 4 * want.reduce((a, b) => a * b, 1);
    });
    return { paths, bytes };
  });
  const missing = layout.map((p) => p.name).filter((name) => !seen.has(name));
  if (missing.length > 0 || unexpected.length > 0) {
    const list = (names: string[]) =>
      names.length ? names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length} in all)` : '') : 'none';
    throw fail(
      `the weights do not match the model config.json describes ` +
        `(missing: ${list(missing)}; unexpected: ${list(unexpected)})`,
    );
  }
  return groups;
}

function exportedRunName(src: string, staging: string): string | undefined {
  if (!existsSync(join(staging, 'metrics.json'))) return undefined;
  const m = readJson(src, staging, 'metrics.json');
  const name = isRecord(m) && isRecord(m.run) ? m.run.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** Makes `dir` (a new run's folder) hold the staged files. */
export function copyStaged(staging: string, files: readonly string[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(join(staging, f), join(dir, f));
}
