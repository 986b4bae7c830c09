import { WorkbenchError } from '../../common/errors.ts';
import type { WorkerProcess } from '../runs/launcher.ts';
import { forkWorker } from '../worker-entries.ts';
import type { InferenceReply, InferenceTask } from './protocol.ts';

/**
 * Decoding off the event loop: one long-lived inference process (started on
 * first use, models cached there per run and checkpoint) that runs the
 * service's translation requests one at a time. A request can be cancelled
 * (queued: dropped; running: the process is stopped, as decoding cannot be
 * interrupted inside it); a process that dies fails its request with a typed
 * error, and the next request starts a new one.
 */
export interface InferenceWorker extends WorkerProcess {
  /** idle: the parent may exit while this process lives (it exits with its parent) */
  setIdle?(idle: boolean): void;
}

export type SpawnInference = () => InferenceWorker;

/** A Node child process (the Electron shell may pass its own spawn instead). */
// Structured clone: search trees and attention matrices cross faster than as JSON.
export const spawnNodeInference: SpawnInference = () => forkWorker('inference', [], { serialization: 'advanced' });

interface Pending {
  id: number;
  task: InferenceTask;
  resolve(result: unknown): void;
  reject(err: Error): void;
  signal?: AbortSignal;
  onAbort(): void;
}

const cancelled = () => new WorkbenchError('cancelled', 'translation cancelled');

export class InferenceProcess {
  private proc: InferenceWorker | null = null;
  private current: Pending | null = null;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly spawn: SpawnInference = spawnNodeInference) {}

  /** The running process's id (none before the first request or after a stop). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  run<T>(task: InferenceTask, signal?: AbortSignal): Promise<T> {
    if (this.closed || signal?.aborted) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      const p: Pending = {
        id: this.nextId++,
        task,
        resolve: resolve as (r: unknown) => void,
        reject,
        signal,
        onAbort: () => this.abort(p),
      };
      signal?.addEventListener('abort', p.onAbort, { once: true });
      this.queue.push(p);
      this.pump();
    });
  }

  /** Stops the process and fails every request (the service is closing). */
  close(): void {
    this.closed = true;
    this.stopProcess();
    for (const p of [this.current, ...this.queue.splice(0)]) if (p) this.settle(p, () => p.reject(cancelled()));
    this.current = null;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.queue.shift();
    if (!next) {
      this.proc?.setIdle?.(true);
      return;
    }
    this.current = next;
    const proc = this.ensureProcess();
    proc.setIdle?.(false);
    proc.send({ id: next.id, task: next.task });
  }

  private ensureProcess(): InferenceWorker {
    if (this.proc) return this.proc;
    const proc = this.spawn();
    proc.onMessage((m) => this.replied(proc, m as InferenceReply));
    proc.onExit((code, signal, stderr) => this.exited(proc, code, signal, stderr));
    this.proc = proc;
    return proc;
  }

  private replied(proc: InferenceWorker, m: InferenceReply): void {
    const p = this.current;
    if (proc !== this.proc || !p || m.id !== p.id) return;
    this.current = null;
    this.settle(p, () =>
      m.ok ? p.resolve(m.result) : p.reject(new WorkbenchError(m.error.code, m.error.message, m.error.where ?? {})),
    );
    this.pump();
  }

  private exited(proc: InferenceWorker, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (proc !== this.proc) return; // one stopped on purpose
    this.proc = null;
    const p = this.current;
    this.current = null;
    if (p) {
      const said = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      this.settle(p, () =>
        p.reject(
          new WorkbenchError(
            'internal',
            `the inference process ${how}${said ? `: ${said}` : ''}; the next request starts a new one`,
          ),
        ),
      );
    }
    this.pump();
  }

  private abort(p: Pending): void {
    if (p === this.current) {
      // Decoding is one synchronous call in the process: stopping it means stopping the process.
      this.current = null;
      this.stopProcess();
    } else {
      const i = this.queue.indexOf(p);
      if (i < 0) return;
      this.queue.splice(i, 1);
    }
    this.settle(p, () => p.reject(cancelled()));
    this.pump();
  }

  private stopProcess(): void {
    const proc = this.proc;
    this.proc = null;
    proc?.kill('SIGKILL');
  }

  private settle(p: Pending, fn: () => void): void {
    p.signal?.removeEventListener('abort', p.onAbort);
    fn();
  }
}
