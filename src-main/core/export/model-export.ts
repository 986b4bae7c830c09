import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { badInput, conflict } from '../../common/errors.ts';
import { listEvaluations } from '../inference/evaluate.ts';
import { resolveCheckpoint } from '../inference/translator.ts';
import type { Db } from '../store/db.ts';
import { addCheckpoint } from '../store/checkpoints.ts';
import { getMetricSeries } from '../store/run-metrics.ts';
import { createRun, finishRun, getRun } from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';
import { parseRunConfig } from '../../common/config.ts';
import { CHECKPOINT_FORMAT } from '../train/checkpoint.ts';

/**
 * A trained model as a self-contained artefact: the tfjs model.json + weights
 * (loadable with @tensorflow/tfjs alone, see README), the tokenizer settings
 * and vocabularies (pipeline.json), the run config, a metrics summary and a
 * README with the run's figures. As a folder, or the same files in one .zip.
 */
const MODEL_FILES = ['model.json', 'weights.bin', 'pipeline.json', 'config.json'];

export interface ModelExport {
  path: string;
  files: string[];
  bytes: number;
}

export function exportModel(db: Db, runId: number, out: string, which = 'best'): ModelExport {
  const run = getRun(db, runId);
  const ckpt = resolveCheckpoint(db, runId, which);
  const summary = metricsSummary(db, runId);
  const files: Record<string, Uint8Array> = {};
  for (const f of MODEL_FILES) files[f] = readFileSync(join(ckpt.path, f));
  files['metrics.json'] = strToU8(JSON.stringify({ run: { id: run.id, name: run.name, dataset: run.datasetName, backend: run.backend }, checkpoint: { step: ckpt.step, epoch: ckpt.epoch, kind: ckpt.kind }, ...summary }, null, 2));
  files['README.md'] = strToU8(readme(run.name, run.datasetName, run.config.model_type, ckpt.step, summary));
  const target = resolve(out);
  if (target.endsWith('.zip')) writeFileSync(target, zipSync(files, { level: 6 }));
  else {
    if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) throw conflict(`${target} exists and is not an empty folder`);
    // Written beside the target and renamed when complete: never a half-exported folder.
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
      rmSync(target, { recursive: true, force: true });
      renameSync(tmp, target);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  const bytes = Object.values(files).reduce((s, d) => s + d.length, 0);
  db.prepare("INSERT INTO exports (run_id, kind, path, detail, created_at) VALUES (?, 'model', ?, ?, ?)").run(runId, target, JSON.stringify({ checkpoint: ckpt.step, bytes }), new Date().toISOString());
  return { path: target, files: Object.keys(files), bytes };
}

/** Registers an exported model (folder or .zip) as an 'imported' run that translate/evaluate can use. */
export function importModel(db: Db, path: string, name?: string): { runId: number } {
  const src = resolve(path);
  if (!existsSync(src)) throw badInput(`${src}: no such file or folder`, { file: src });
  let staging: string | null = null;
  let dir = src;
  if (statSync(src).isFile()) {
    staging = mkdtempSync(join(tmpdir(), 'wb-import-'));
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(readFileSync(src));
    } catch (err) {
      throw badInput(`${src}: not a zip archive (${(err as Error).message})`, { file: src });
    }
    for (const [n, data] of Object.entries(entries)) writeFileSync(join(staging, basename(n)), data);
    dir = staging;
  }
  try {
    for (const f of MODEL_FILES) if (!existsSync(join(dir, f))) throw badInput(`${src}: not an exported model (missing ${f})`, { file: src });
    const meta = readJsonFile(join(dir, 'model.json'), src) as { format?: string; userDefinedMetadata?: { workbench?: { step?: number; epoch?: number } } };
    if (meta.format !== CHECKPOINT_FORMAT) throw badInput(`${src}: model.json has format "${meta.format ?? ''}", not a workbench model`, { file: src });
    const config = parseRunConfig(readJsonFile(join(dir, 'config.json'), src));
    const exported = existsSync(join(dir, 'metrics.json')) ? (readJsonFile(join(dir, 'metrics.json'), src) as { run?: { name?: string } }) : {};
    const m = meta.userDefinedMetadata?.workbench ?? {};
    let dest = '';
    // One transaction: a failed copy leaves neither a run without a model nor its folder.
    try {
      return db.transaction(() => {
        const run = createRun(db, { name: name ?? `imported ${exported.run?.name ?? basename(src)}`, config });
        dest = join(storeDir(db), 'runs', String(run.id), 'imported');
        mkdirSync(dest, { recursive: true });
        for (const f of [...MODEL_FILES, 'metrics.json', 'README.md']) if (existsSync(join(dir, f))) cpSync(join(dir, f), join(dest, f));
        addCheckpoint(db, run.id, { step: m.step ?? 0, epoch: m.epoch ?? 0, path: dest, kind: 'imported' });
        finishRun(db, run.id, 'imported');
        return { runId: run.id };
      })();
    } catch (err) {
      if (dest) rmSync(dest, { recursive: true, force: true });
      throw err;
    }
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

function readJsonFile(file: string, shownAs: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw badInput(`${shownAs}: ${basename(file)} is not valid JSON (${(err as Error).message})`, { file: shownAs });
  }
}

interface Summary {
  best: Record<string, { value: number; step: number }>;
  last: Record<string, { value: number; step: number }>;
  test: Array<{ bleu: number; chrf: number; signature: string; src: string }>;
}

function metricsSummary(db: Db, runId: number): Summary {
  const series = getMetricSeries(db, runId);
  const best: Summary['best'] = {};
  const last: Summary['last'] = {};
  for (const [name, points] of Object.entries(series)) {
    if (points.length === 0) continue;
    const higher = /bleu|chrf/.test(name);
    const b = points.reduce((x, p) => ((higher ? p.value > x.value : p.value < x.value) ? p : x));
    best[name] = { value: b.value, step: b.step };
    const l = points[points.length - 1];
    last[name] = { value: l.value, step: l.step };
  }
  const test = listEvaluations(db, runId).map((e) => ({ bleu: e.bleu, chrf: e.chrf, signature: e.signature, src: e.srcPath }));
  return { best, last, test };
}

function readme(name: string, dataset: string, modelType: string, step: number, s: Summary): string {
  const fmt = (k: string) => (s.best[k] ? `${s.best[k].value.toFixed(2)} (step ${s.best[k].step})` : '-');
  return `# ${name}

A ${modelType} English→Hindi model trained with Seq2Seq Workbench on "${dataset}", checkpoint at step ${step}.

| metric | best |
| --- | --- |
| valid BLEU | ${fmt('valid/bleu')} |
| valid chrF | ${fmt('valid/chrf')} |
| valid perplexity | ${fmt('valid/ppl')} |
${s.test.map((t) => `| test BLEU on ${basename(t.src)} | ${t.bleu.toFixed(2)} (${t.signature}) |`).join('\n')}

Files: model.json + weights.bin (TensorFlow.js weights manifest; weight names as in the
workbench model), pipeline.json (tokenizer settings, BPE merges, vocabularies), config.json
(the full run config), metrics.json (these figures).

Translate with the workbench: \`workbench import model THIS_FOLDER\`, then
\`workbench translate --run ID "hello"\`. To read the weights with @tensorflow/tfjs alone,
see "Using an exported model" in the workbench README.
`;
}
