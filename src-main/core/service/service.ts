import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ConfigError } from '../../common/config.ts';
import { configIssueInWords } from '../../common/config-issues.ts';
import { schemas, type Channel, type FileDto, type Output, type ParsedInput, type WorkbenchEvent } from '../../common/contract.ts';
import { BACKEND_PREFERENCES } from '../../common/backends.ts';
import { badInput, WorkbenchError } from '../../common/errors.ts';
import { effectiveDecodeSettings } from '../../common/decode-settings.ts';
import { getDatasetByName } from '../data/builtin.ts';
import { exportDataset } from '../data/export.ts';
import { applyFixes } from '../data/fixes.ts';
import { validateDataset, type FindingKind } from '../data/findings.ts';
import { importDataset } from '../data/import.ts';
import { editHistory, editPairs, redo, undo } from '../data/pairs.ts';
import { searchPairs } from '../data/regex-search.ts';
import { createSplit, listSplits } from '../data/splits.ts';
import { datasetStats } from '../data/stats.ts';
import { metricsCsv, metricsJson } from '../export/metrics-export.ts';
import { exportModel } from '../export/model-export.ts';
import { sentencesFromSplit } from '../inference/compare-runs.ts';
import { InferenceProcess, type SpawnInference } from '../inference/inference-process.ts';
import type { InferenceTask, ModelRef } from '../inference/protocol.ts';
import { resolveCheckpoint } from '../inference/translator.ts';
import { scoreEvaluation } from '../inference/evaluate.ts';
import { splitEvaluationSet } from '../inference/split-evaluation.ts';
import { type RunHandle, type SpawnWorker } from '../runs/launcher.ts';
import { resolveConfig } from '../runs/launch.ts';
import { cancelRun, launchRun, resumeRun } from '../runs/lifecycle.ts';
import { QueueScheduler } from '../runs/queue-scheduler.ts';
import { deleteDataset, getDataset, listDatasets } from '../store/datasets.ts';
import { openDb, type Db } from '../store/db.ts';
import { deleteRun, getRun, recoverInterruptedRuns } from '../store/runs.ts';
import { metricNames, metricSeries } from './metric-series.ts';
import { queueHandlers } from './queue-handlers.ts';
import { checkpointDtos, toDetail, toSummary } from './run-dto.ts';

/**
 * The handlers behind every channel of the contract: thin, validated calls
 * into the core. The Electron shell (ipcMain) and the browser mode (WebSocket)
 * both dispatch here, so both doors run the same code.
 */
export interface ServiceContext {
  db: Db;
  dbPath: string;
  door: 'electron' | 'browser';
  emit(event: WorkbenchEvent): void;
  /** Electron: the utilityProcess launcher; default: a Node child process */
  spawn?: SpawnWorker;
  /** the inference process (decoding off the event loop); default: a Node child process */
  spawnInference?: SpawnInference;
  /** Electron: native save dialog; returns the chosen path (null when cancelled) */
  saveFile?(file: FileDto): Promise<string | null>;
  /** Electron: native folder picker for a folder export; returns the chosen parent folder (null when cancelled) */
  chooseFolder?(title: string): Promise<string | null>;
  /** Electron: native open dialog for files to import */
  pickFiles?(opts: { title?: string; multiple?: boolean }): Promise<string[]>;
  /** run the queue's scheduler in this service (default true; one per store runs it, the others stand by) */
  runQueue?: boolean;
}

type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Promise<Output<C>> | Output<C> };

export class WorkbenchService {
  private readonly handlers: Handlers;
  private readonly jobs = new Map<string, AbortController>();
  private readonly runs = new Map<number, RunHandle>();
  /** Aborted by close(): work running off the event loop (searches, decoding) stops with it. */
  private readonly closing = new AbortController();
  /** Started on the first translation request. */
  private inference: InferenceProcess | null = null;
  /** app.backends, probed once per service (loading Dawn takes a second) */
  private backends: Promise<Output<'app.backends'>> | null = null;
  /** starts queued runs (core/runs/queue-scheduler.ts); its trainers are watched like launched ones */
  private readonly scheduler: QueueScheduler | null;

  constructor(private readonly ctx: ServiceContext) {
    recoverInterruptedRuns(ctx.db);
    this.handlers = this.makeHandlers();
    this.scheduler =
      ctx.runQueue === false || ctx.dbPath === ':memory:'
        ? null
        : new QueueScheduler(ctx.db, ctx.dbPath, {
            spawn: ctx.spawn,
            onStart: (handle) => this.watch(handle),
            onChange: () => ctx.emit({ type: 'queue.changed' }),
          }).start();
  }

  /** Stops what runs off the event loop for this service (a door closing): searches and decoding end at once. */
  close(): void {
    this.closing.abort();
    this.inference?.close();
    void this.scheduler?.release(); // its trainers see the app go and are resumed by the next scheduler
  }

  /** A run's checkpoint, resolved here (not_found / bad_input name it) before the inference process loads it. */
  private model(runId: number, checkpoint = 'best'): ModelRef {
    return { runId, checkpoint: resolveCheckpoint(this.ctx.db, runId, checkpoint) };
  }

  /** Runs a decoding task in the inference process; jobs.cancel(jobId) stops it. */
  private async decode<T>(task: InferenceTask, jobId?: string): Promise<T> {
    const job = new AbortController();
    if (jobId) this.jobs.set(jobId, job);
    try {
      this.inference ??= new InferenceProcess(this.ctx.spawnInference);
      return await this.inference.run<T>(task, AbortSignal.any([job.signal, this.closing.signal]));
    } finally {
      if (jobId && this.jobs.get(jobId) === job) this.jobs.delete(jobId);
    }
  }

  /** Validates the input at the edge and runs the handler; errors are WorkbenchErrors. */
  async dispatch(channel: string, rawInput: unknown): Promise<unknown> {
    if (!Object.hasOwn(schemas, channel)) throw badInput(`unknown channel "${channel}"`, { field: 'channel' });
    const c = channel as Channel;
    const parsed = schemas[c].safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || '(input)';
      // In words, as the launch form and the CLI say them ("must be one of: auto, cpu, …").
      const words = configIssueInWords(issue);
      const what = issue.code === 'unrecognized_keys' ? `${words.key}: ${words.message}` : words.message;
      throw badInput(`${channel}: ${field}: ${what}`, { field });
    }
    const handler = this.handlers[c] as (input: unknown) => unknown;
    return await handler(parsed.data);
  }

  private file(fileName: string, mime: string, data: Buffer | string): Promise<FileDto> {
    const file: FileDto = { fileName, mime, base64: Buffer.from(data).toString('base64') };
    if (!this.ctx.saveFile) return Promise.resolve(file);
    return this.ctx.saveFile(file).then((savedTo) => ({ ...file, base64: '', savedTo: savedTo ?? undefined }));
  }

  private watch(handle: RunHandle): void {
    this.runs.set(handle.runId, handle);
    handle.on('progress', (progress) => this.ctx.emit({ type: 'run.progress', runId: handle.runId, progress }));
    handle.on('exit', (status) => {
      this.runs.delete(handle.runId);
      this.ctx.emit({ type: 'run.status', runId: handle.runId, status });
    });
  }

  private makeHandlers(): Handlers {
    const { db } = this.ctx;
    const ds = (name: string) => getDataset(db, name);
    return {
      'app.info': () => ({ dbPath: this.ctx.dbPath, version: '0.1.0', door: this.ctx.door, backends: [...BACKEND_PREFERENCES] }),
      'app.backends': () => (this.backends ??= this.decode<Output<'app.backends'>>({ kind: 'backends' }).catch((err: unknown) => {
        this.backends = null; // asked again next time (the inference process may have been restarting)
        throw err;
      })),
      'datasets.list': () => listDatasets(db),
      'datasets.stats': ({ name }) => datasetStats(db, ds(name).id),
      'datasets.findings': ({ name }) => validateDataset(db, ds(name).id),
      // Core applyFixes composes several fixes of one pair; a kind without a safe fix is a bad_input.
      'datasets.fix': ({ name, kind, pairIds }) => ({ fixed: applyFixes(db, ds(name).id, { kind: kind as FindingKind | undefined, pairIds }).fixed }),
      'files.pick': async ({ title, multiple }) => {
        if (!this.ctx.pickFiles) throw new WorkbenchError('unsupported', 'a browser cannot pick files by path: upload the file instead');
        return { paths: await this.ctx.pickFiles({ title, multiple }) };
      },
      'datasets.import': async ({ name, path, paths, fileName, content, uploads, format, srcCol, tgtCol, skipBad, jobId }) => {
        // A browser cannot name files on the server: refused before any file is looked at, with one
        // answer for every path, so the refusal says nothing about what exists there.
        if (this.ctx.door === 'browser' && (path !== undefined || paths !== undefined)) {
          throw new WorkbenchError('unsupported', 'a browser imports uploaded files only, not paths on the server: upload the file (fileName and content, or uploads)', { field: path !== undefined ? 'path' : 'paths' });
        }
        const given = paths ?? (path ? [path] : null);
        const texts = uploads ?? (content !== undefined ? [{ fileName: fileName ?? 'upload.tsv', content }] : null);
        if (name.startsWith('builtin:') && !given && !texts) {
          const d = await getDatasetByName(db, name);
          return { datasetId: d.id, name: d.name, pairs: d.pairCount, skipped: [], seconds: 0 };
        }
        let files = given;
        let tmp: string | null = null;
        if (!files) {
          if (!texts) throw badInput('give a path or the file content', { field: 'content' });
          const dir = mkdtempSync(join(tmpdir(), 'wb-upload-'));
          tmp = dir;
          // Uploaded names keep their extension (format detection, X.en + X.hi pairing) but not their folders.
          files = texts.map((t, i) => {
            mkdirSync(join(dir, String(i)));
            const file = join(dir, String(i), basename(t.fileName).replace(/[^\w.-]+/g, '_') || 'upload');
            writeFileSync(file, t.content);
            return file;
          });
        }
        const abort = new AbortController();
        this.jobs.set(jobId, abort);
        // An import commits a few thousand pairs per short transaction and publishes the dataset at the end,
        // so the UI's reads and writes go on meanwhile (never seeing the staged pairs).
        const own = this.ctx.dbPath === ':memory:' ? db : openDb(this.ctx.dbPath);
        try {
          return await importDataset(own, {
            name,
            files,
            format,
            srcCol,
            tgtCol,
            skipBad,
            signal: abort.signal,
            onProgress: (p) =>
              this.ctx.emit({ type: 'job.progress', jobId, rows: p.rows, fraction: p.totalBytes ? p.bytes / p.totalBytes : null, rowsPerSecond: p.rowsPerSecond, etaSeconds: p.etaSeconds }),
          });
        } catch (err) {
          // An uploaded file's error names the user's file, not our temporary copy of it.
          if (!tmp || !texts || !(err instanceof WorkbenchError)) throw err;
          let message = err.message;
          let file = err.where.file;
          files.forEach((f, i) => {
            message = message.replaceAll(f, texts[i].fileName);
            if (file === f) file = texts[i].fileName;
          });
          throw new WorkbenchError(err.code, message, { ...err.where, ...(file ? { file } : {}) });
        } finally {
          if (own !== db) own.close();
          this.jobs.delete(jobId);
          if (tmp) rmSync(tmp, { recursive: true, force: true });
        }
      },
      'jobs.cancel': ({ jobId }) => {
        const job = this.jobs.get(jobId);
        job?.abort();
        return { cancelled: Boolean(job) };
      },
      'datasets.export': async ({ name, format }) => {
        const tmp = mkdtempSync(join(tmpdir(), 'wb-export-'));
        try {
          const out = join(tmp, `${name.replace(/[^\w.-]+/g, '_')}.${format}`);
          await exportDataset(db, name, out, format);
          return await this.file(basename(out), format === 'jsonl' ? 'application/x-ndjson' : `text/${format === 'tsv' ? 'tab-separated-values' : 'csv'}`, readFileSync(out));
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      },
      'datasets.delete': ({ name }) => {
        deleteDataset(db, ds(name).id);
        return { deleted: name };
      },
      'datasets.splits': ({ name }) => listSplits(db, ds(name).id),
      'datasets.split': ({ name, splitName, seed, valid_ratio, test_ratio }) => createSplit(db, ds(name).id, splitName, { seed, valid_ratio, test_ratio }, true),
      // A regular expression runs off the event loop, within a time limit (regex-search.ts).
      'pairs.list': ({ name, finding, ...q }) => searchPairs(db, ds(name).id, { ...q, finding: finding as FindingKind | undefined }, { signal: this.closing.signal }),
      'pairs.edit': ({ name, label, changes }) => editPairs(db, ds(name).id, label, changes),
      'pairs.undo': ({ name }) => undo(db, ds(name).id),
      'pairs.redo': ({ name }) => redo(db, ds(name).id),
      'pairs.history': ({ name }) => editHistory(db, ds(name).id),
      ...queueHandlers({ db, emit: this.ctx.emit, live: (id) => this.runs.get(id), poke: () => void this.scheduler?.tick() }),
      'runs.get': ({ id }) => toDetail(db, getRun(db, id)),
      'runs.validateConfig': ({ preset, config }) => {
        try {
          return { ok: true, config: resolveConfig({ preset, config }), issues: [] };
        } catch (err) {
          if (err instanceof ConfigError) return { ok: false, config: null, issues: err.issues };
          throw err;
        }
      },
      // The run lifecycle rules (checks before a run exists, one trainer per run, cancel guards) live in
      // core/runs/lifecycle.ts, shared with the CLI.
      'runs.launch': async ({ preset, config, name, parentRunId, backend }) => {
        const handle = await launchRun(db, this.ctx.dbPath, { preset, config, name, parentRunId }, { backend, spawn: this.ctx.spawn });
        this.watch(handle);
        return toSummary(db, getRun(db, handle.runId));
      },
      'runs.cancel': ({ id }) => {
        cancelRun(db, id, this.runs.get(id));
        return { ok: true };
      },
      'runs.resume': ({ id }) => {
        this.watch(resumeRun(db, this.ctx.dbPath, id, { spawn: this.ctx.spawn }));
        return toSummary(db, getRun(db, id));
      },
      'runs.delete': ({ id }) => {
        deleteRun(db, id);
        return { ok: true };
      },
      'runs.checkpoints': ({ id }) => checkpointDtos(db, getRun(db, id)),
      'runs.evaluate': async ({ runId, checkpoint, part, maxSentences, settings, jobId }) => {
        const set = splitEvaluationSet(db, runId, part, maxSentences);
        const { config } = getRun(db, runId);
        const model = this.model(runId, checkpoint);
        const t0 = performance.now();
        const task: InferenceTask = { kind: 'translate', model, texts: set.sources, settings, textOnly: true };
        const hyps = await this.decode<string[]>(task, jobId);
        const seconds = (performance.now() - t0) / 1000;
        const { return_topk: _k, return_tree: _t, ...asked } = settings;
        const prefix = settings.prefix ? { prefix: settings.prefix } : {};
        const decoding = { ...effectiveDecodeSettings(config, asked), ...prefix };
        const files = { src: set.where, ref: set.where };
        const input = { runId, checkpoint: model.checkpoint, files, refs: set.refs, hyps, decoding, seconds };
        const r = scoreEvaluation(db, input, config.sacrebleu_tokenize);
        const { bleu, chrf, signature, chrfSignature, sentences } = r;
        // Stored (a store was given): the id is the evaluation's row.
        const createdAt = new Date().toISOString();
        const stored = { id: r.id as number, checkpoint: r.checkpoint, srcPath: set.where, refPath: set.where, createdAt };
        return { ...stored, decoding, bleu, chrf, signature, chrfSignature, sentences, seconds };
      },
      'metrics.series': ({ runIds, names, maxPoints, smoothing }) => {
        for (const id of runIds) getRun(db, id); // not_found names the run
        return metricSeries(db, runIds, { names, maxPoints, smoothing });
      },
      'metrics.names': ({ runIds }) => metricNames(db, runIds),
      'compare.bootstrap': async ({ baseline, system, samples, maxSentences, split, jobId }) => {
        // The part named (default test): an empty one is refused, naming it, never swapped for another.
        const data = sentencesFromSplit(db, baseline, split, maxSentences ?? 500);
        const models = { baseline: this.model(baseline), system: this.model(system) };
        const task: InferenceTask = { kind: 'bootstrap', ...models, sources: data.sources, refs: data.refs, nSamples: samples ?? 1000 };
        return { ...(await this.decode<Output<'compare.bootstrap'>>(task, jobId)), data: data.label };
      },
      'compare.translations': async ({ runIds, sources, jobId }) => {
        const models = runIds.map((id) => this.model(id));
        const out = [];
        for (const model of models) out.push({ runId: model.runId, translations: await this.decode<string[]>({ kind: 'translate', model, texts: sources, settings: {}, textOnly: true }, jobId) });
        return out;
      },
      'playground.translate': ({ runId, checkpoint, texts, settings, jobId }) =>
        this.decode<Output<'playground.translate'>>({ kind: 'translate', model: this.model(runId, checkpoint), texts, settings }, jobId),
      'export.model': async ({ runId, checkpoint, format }) => {
        if (format === 'folder') {
          if (!this.ctx.chooseFolder) throw new WorkbenchError('unsupported', 'a folder export needs the desktop app (a browser can only download): export the zip, it holds the same files', { field: 'format' });
          const parent = await this.ctx.chooseFolder('Export the model into…');
          const run = getRun(db, runId);
          if (!parent) return { fileName: '', mime: 'inode/directory', base64: '' };
          const r = exportModel(db, runId, join(parent, `${run.name.replace(/[^\w.-]+/g, '_')}-model`), checkpoint);
          return { fileName: basename(r.path), mime: 'inode/directory', base64: '', savedTo: r.path };
        }
        const tmp = mkdtempSync(join(tmpdir(), 'wb-model-'));
        try {
          const run = getRun(db, runId);
          const out = join(tmp, `${run.name.replace(/[^\w.-]+/g, '_')}-model.zip`);
          exportModel(db, runId, out, checkpoint);
          return await this.file(basename(out), 'application/zip', readFileSync(out));
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      },
      'export.metrics': ({ runIds, format }) =>
        this.file(`metrics-${runIds.join('-')}.${format}`, format === 'csv' ? 'text/csv' : 'application/json', format === 'csv' ? metricsCsv(db, runIds) : metricsJson(db, runIds)),
      'export.file': ({ fileName, mime, base64 }) => this.file(fileName, mime, Buffer.from(base64, 'base64')),
    };
  }
}
