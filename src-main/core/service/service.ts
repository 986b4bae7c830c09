import { configIssueInWords } from '../../common/config-issues.ts';
import { schemas, type Channel, type FileDto, type Output, type ParsedInput } from '../../common/contract.ts';
import { BACKEND_PREFERENCES } from '../../common/backends.ts';
import { badInput } from '../../common/errors.ts';
import { InferenceProcess } from '../inference/inference-process.ts';
import type { InferenceTask, ModelRef } from '../inference/protocol.ts';
import { resolveCheckpoint } from '../inference/resolve-checkpoint.ts';
import type { RunHandle } from '../runs/launcher.ts';
import { QueueScheduler } from '../runs/queue-scheduler.ts';
import { recoverInterruptedRuns } from '../store/runs.ts';
import { averageHandler } from './average-handler.ts';
import { datasetHandlers } from './dataset-handlers.ts';
import { datasetImportHandler } from './dataset-import-handler.ts';
import { decodeHandlers } from './decode-handlers.ts';
import { exportHandlers } from './export-handlers.ts';
import { filterHandlers } from './filter-handlers.ts';
import { modelScoreHandlers } from './model-score-handlers.ts';
import { ngramHandlers } from './ngram-handlers.ts';
import { modelStatsHandlers } from './model-stats-handlers.ts';
import type { HandlerContext, ServiceContext } from './handler-context.ts';
import { queueHandlers } from './queue-handlers.ts';
import { runHandlers } from './run-handlers.ts';
import { versionHandlers } from './version-handlers.ts';

/**
 * The handlers behind every channel of the contract: thin, validated calls
 * into the core, one module per area (dataset-, run-, queue-, decode-, export-handlers.ts).
 * The Electron shell (ipcMain) and the browser mode (WebSocket) both dispatch here, so both
 * doors run the same code.
 */
export type { ServiceContext } from './handler-context.ts';

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
    const h: HandlerContext = {
      ...this.ctx,
      jobs: this.jobs,
      closing: this.closing.signal,
      model: (runId, checkpoint) => this.model(runId, checkpoint),
      decode: (task, jobId) => this.decode(task, jobId),
      file: (fileName, mime, data) => this.file(fileName, mime, data),
      watch: (handle) => this.watch(handle),
      live: (runId) => this.runs.get(runId),
    };
    return {
      'app.info': () => ({
        dbPath: this.ctx.dbPath,
        version: '0.1.0',
        door: this.ctx.door,
        backends: [...BACKEND_PREFERENCES],
      }),
      'app.backends': () =>
        (this.backends ??= this.decode<Output<'app.backends'>>({ kind: 'backends' }).catch((err: unknown) => {
          this.backends = null; // asked again next time (the inference process may have been restarting)
          throw err;
        })),
      'jobs.cancel': ({ jobId }) => {
        const job = this.jobs.get(jobId);
        job?.abort();
        return { cancelled: Boolean(job) };
      },
      ...datasetHandlers(h),
      ...datasetImportHandler(h),
      ...runHandlers(h),
      ...averageHandler(h),
      ...queueHandlers({
        db,
        emit: this.ctx.emit,
        live: (id) => this.runs.get(id),
        poke: () => void this.scheduler?.tick(),
      }),
      ...decodeHandlers(h),
      ...exportHandlers(h),
      ...modelScoreHandlers(h),
      ...ngramHandlers(h),
      ...modelStatsHandlers(h),
      ...versionHandlers(h, () => void this.scheduler?.tick()),
      ...filterHandlers(h),
    };
  }
}
