import type { FileDto, WorkbenchEvent } from '../common/contract.ts';
import { WorkbenchService } from '../core/service/service.ts';
import { openDb } from '../core/store/db.ts';
import { utilitySpawners, type UtilityFork } from './utility-workers.ts';

/**
 * The core inside the Electron main process: the store, the service behind
 * ipcMain, training and decoding in utilityProcesses. close() is for quitting:
 * it stops the inference process and searches (service.close) and closes the
 * store (its WAL checkpointed). Trainers are not stopped here: a trainer whose
 * launcher went away saves and records itself (core/train/worker-entry.ts).
 * No Electron import (main.ts passes utilityProcess.fork and the dialogs), so
 * it is tested under Node.
 */
export interface DesktopCoreOptions {
  dbPath: string;
  fork: UtilityFork;
  emit(event: WorkbenchEvent): void;
  saveFile?(file: FileDto): Promise<string | null>;
  chooseFolder?(title: string): Promise<string | null>;
  pickFiles?(opts: { title?: string; multiple?: boolean }): Promise<string[]>;
}

export interface DesktopCore {
  service: WorkbenchService;
  close(): void;
}

export function openDesktopCore(o: DesktopCoreOptions): DesktopCore {
  const db = openDb(o.dbPath);
  const service = new WorkbenchService({
    db,
    dbPath: o.dbPath,
    door: 'electron',
    emit: o.emit,
    ...utilitySpawners(o.fork),
    saveFile: o.saveFile,
    chooseFolder: o.chooseFolder,
    pickFiles: o.pickFiles,
  });
  let closed = false;
  return {
    service,
    close: () => {
      if (closed) return;
      closed = true;
      service.close();
      db.close();
    },
  };
}
