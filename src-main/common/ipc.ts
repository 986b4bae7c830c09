import type { WorkbenchEvent } from './contract.ts';
import type { Reply } from './reply.ts';

/** Electron IPC channel names (kept apart from contract.ts so the preload bundle stays tiny: no zod). */
export const IPC_INVOKE = 'workbench:invoke';
export const IPC_EVENT = 'workbench:event';

/** A handler's outcome as it crosses the IPC boundary (common/reply.ts). */
export type IpcReply = Reply;

/**
 * What the preload exposes as `window.workbench`. It returns replies as data
 * because contextBridge copies a thrown Error with its message only: the
 * typed `code` and `where` would be lost. src-renderer/src/lib/api.ts turns
 * this into the typed WorkbenchApi (the same one the browser bridge gives).
 */
export interface PreloadBridge {
  readonly door: 'electron';
  request(channel: string, input: unknown): Promise<IpcReply>;
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
  /** The path of a File the user dropped or picked (Electron's webUtils.getPathForFile); '' when it has none */
  pathForFile(file: unknown): string;
}
