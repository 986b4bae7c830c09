import type { Channel, FileDto, Output, ParsedInput, WorkbenchEvent } from '../../common/contract.ts';
import type { SpawnInference } from '../inference/inference-process.ts';
import type { InferenceTask, ModelRef } from '../inference/protocol.ts';
import type { RunHandle, SpawnWorker } from '../runs/launcher.ts';
import type { Db } from '../store/db.ts';

/** What a door gives the service (Electron: its dialogs and utilityProcess launcher; browser mode: none). */
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

/** What the handlers of every area share of the service: the door's context and the service's own state. */
export interface HandlerContext extends ServiceContext {
  /** cancellable jobs by id (jobs.cancel aborts one) */
  jobs: Map<string, AbortController>;
  /** aborted when the service closes: work off the event loop stops with it */
  closing: AbortSignal;
  /** a run's checkpoint, resolved (not_found / bad_input name it) before the inference process loads it */
  model(runId: number, checkpoint?: string): ModelRef;
  /** runs a decoding task in the inference process; jobs.cancel(jobId) stops it */
  decode<T>(task: InferenceTask, jobId?: string): Promise<T>;
  /** a file for the user: returned as bytes (browser) or saved where the user chose (Electron) */
  file(fileName: string, mime: string, data: Buffer | string): Promise<FileDto>;
  /** forwards a started trainer's progress and end as events */
  watch(handle: RunHandle): void;
  /** the handle of a trainer this service started */
  live(runId: number): RunHandle | undefined;
}

/** The handlers of some channels, each typed by its channel's parsed input and output. */
export type HandlersOf<C extends Channel> = { [K in C]: (input: ParsedInput<K>) => Promise<Output<K>> | Output<K> };
