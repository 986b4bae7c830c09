import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { badInput, conflict } from '../../common/errors.ts';
import { listEvaluations } from '../inference/evaluate.ts';
import { resolveCheckpoint } from '../inference/resolve-checkpoint.ts';
import type { Db } from '../store/db.ts';
import { addCheckpoint } from '../store/checkpoints.ts';
import { getMetricSeries } from '../store/run-metrics.ts';
import { createRun, finishRun, getRun } from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';
import { writeFileAtomic, writeFolderAtomic } from './atomic-file.ts';
import { exportTarget } from './export-target.ts';
import { copyStaged, MODEL_FILES, stageModel } from './model-artifact.ts';

/**
 * A trained model as a self-contained artefact: the tfjs model.json + weights
 * (loadable with @tensorflow/tfjs alone, see README), the tokenizer settings
 * and vocabularies (pipeline.json), the run config, a metrics summary and a
 * README with the run's figures. As a folder, or the same files in one .zip.
 */

export interface ModelExport {
  path: string;
  files: string[];
  bytes: number;
}

export function exportModel(db: Db, runId: number, out: string, which = 'best'): ModelExport {
  const run = getRun(db, runId);
  const ckpt = resolveCheckpoint(db, runId, which);
  const path = resolve(out);
  const zip = path.endsWith('.zip');
  // Never the store or a run folder; checked before any work.
  const target = exportTarget(db, out, zip ? 'file' : 'folder');
  if (!zip && existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0))
    throw conflict(`${path} exists and is not an empty folder`);
  const summary = metricsSummary(db, runId);
  const files: Record<string, Uint8Array> = {};
  for (const f of MODEL_FILES) files[f] = readFileSync(join(ckpt.path, f));
  files['metrics.json'] = strToU8(
    JSON.stringify(
      {
        run: { id: run.id, name: run.name, dataset: run.datasetName, backend: run.backend },
        checkpoint: { step: ckpt.step, epoch: ckpt.epoch, kind: ckpt.kind },
        ...summary,
      },
      null,
      2,
    ),
  );
  files['README.md'] = strToU8(readme(run.name, run.datasetName, run.config.model_type, ckpt.step, summary));
  // Written beside the target and renamed when complete: never a half-exported zip or folder.
  if (zip) writeFileAtomic(target, zipSync(files, { level: 6 }));
  else writeFolderAtomic(target, files);
  const bytes = Object.values(files).reduce((s, d) => s + d.length, 0);
  db.prepare("INSERT INTO exports (run_id, kind, path, detail, created_at) VALUES (?, 'model', ?, ?, ?)").run(
    runId,
    path,
    JSON.stringify({ checkpoint: ckpt.step, bytes }),
    new Date().toISOString(),
  );
  return { path, files: Object.keys(files), bytes };
}

/**
 * Registers an exported model (folder or .zip) as an 'imported' run that
 * translate/evaluate can use. The artefact is untrusted: it is staged and
 * validated first (model-artifact.ts); a refused import registers nothing and
 * leaves no folder behind.
 */
export function importModel(db: Db, path: string, name?: string): { runId: number } {
  const src = resolve(path);
  if (!existsSync(src)) throw badInput(`${src}: no such file or folder`, { file: src });
  const staging = mkdtempSync(join(tmpdir(), 'wb-import-'));
  try {
    const staged = stageModel(src, staging);
    let dest = '';
    // One transaction: a failed copy leaves neither a run without a model nor its folder.
    try {
      return db.transaction(() => {
        const run = createRun(db, {
          name: name ?? `imported ${staged.exportedName ?? basename(src)}`,
          config: staged.config,
        });
        dest = join(storeDir(db), 'runs', String(run.id), 'imported');
        copyStaged(staging, staged.files, dest);
        addCheckpoint(db, run.id, { step: staged.step, epoch: staged.epoch, path: dest, kind: 'imported' });
        finishRun(db, run.id, 'imported');
        return { runId: run.id };
      })();
    } catch (err) {
      if (dest) {
        rmSync(dest, { recursive: true, force: true });
        try {
          rmdirSync(dirname(dest)); // the run's folder, when nothing else is in it
        } catch {
          // not empty: not ours alone
        }
      }
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

interface Summary {
  best: Record<string, { value: number; step: number }>;
  last: Record<string, { value: number; step: number }>;
  test: TestEvaluation[];
}

/** One `workbench evaluate` of the run, labelled so that two of them on one file can be told apart. */
interface TestEvaluation {
  bleu: number;
  chrf: number;
  signature: string;
  src: string;
  /** the checkpoint evaluated (null: not a ckpt-<step> folder) */
  step: number | null;
  /** "greedy" or "beam K" (with its length penalty) */
  decoding: string;
  evaluatedAt: string;
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
  const test = listEvaluations(db, runId).map((e) => ({
    bleu: e.bleu,
    chrf: e.chrf,
    signature: e.signature,
    src: e.srcPath,
    step: checkpointStep(e.checkpoint),
    decoding: decodingLabel(e.decoding),
    evaluatedAt: e.createdAt,
  }));
  return { best, last, test };
}

function readme(name: string, dataset: string, modelType: string, step: number, s: Summary): string {
  const fmt = (k: string) => (s.best[k] ? `${s.best[k].value.toFixed(2)} (step ${s.best[k].step})` : '-');
  const checkpoint = (t: TestEvaluation) =>
    t.step === null ? 'another' : `step ${t.step}${t.step === step ? ' (this model)' : ''}`;
  const tests = s.test.length
    ? `
Test evaluations (\`workbench evaluate\`; sacreBLEU BLEU and chrF):

| test set | checkpoint | decoding | BLEU | chrF | evaluated (UTC) | BLEU signature |
| --- | --- | --- | --- | --- | --- | --- |
${s.test
  .map(
    (t) =>
      `| ${cell(basename(t.src))} | ${checkpoint(t)} | ${t.decoding} | ${t.bleu.toFixed(2)} | ` +
      `${t.chrf.toFixed(2)} | ${t.evaluatedAt.slice(0, 16).replace('T', ' ')} | \`${cell(t.signature)}\` |`,
  )
  .join('\n')}
`
    : '';
  return `# ${name}

A ${modelType} English→Hindi model trained with Seq2Seq Workbench on "${dataset}", checkpoint at step ${step}.

| metric | best |
| --- | --- |
| valid BLEU | ${fmt('valid/bleu')} |
| valid chrF | ${fmt('valid/chrf')} |
| valid perplexity | ${fmt('valid/ppl')} |
${tests}
Files: model.json + weights.bin (TensorFlow.js weights manifest; weight names as in the
workbench model), pipeline.json (tokenizer settings, BPE merges, vocabularies), config.json
(the full run config), metrics.json (these figures).

Translate with the workbench: \`workbench import model THIS_FOLDER\`, then
\`workbench translate --run ID "hello"\`. To read the weights with @tensorflow/tfjs alone,
see "Using an exported model" in the workbench README.
`;
}

/** The step of a ckpt-<step> folder (checkpointDirName), else null. */
function checkpointStep(path: string): number | null {
  const m = /^ckpt-(\d+)$/.exec(basename(path));
  return m ? Number(m[1]) : null;
}

/** Text for one Markdown table cell: "|" escaped (GFM, also inside code spans), no line breaks. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

const STORED_DECODING = z.object({
  beam_size: z.number(),
  beam_alpha: z.number().optional(),
  length_penalty: z.string().optional(),
});

/** "greedy", or "beam K" with its length penalty when there is one (from an evaluation's stored settings). */
function decodingLabel(stored: unknown): string {
  const d = STORED_DECODING.safeParse(stored);
  if (!d.success) return 'not recorded';
  const { beam_size: beam, beam_alpha: alpha = 0, length_penalty: penalty = 'none' } = d.data;
  if (beam <= 1) return 'greedy';
  return alpha > 0 && penalty !== 'none' ? `beam ${beam}, ${penalty} α ${alpha}` : `beam ${beam}`;
}
