import { contextBridge, ipcRenderer } from 'electron';
import type { Channel, Input, Output, WorkbenchApi, WorkbenchEvent } from '../common/contract.ts';
import type { SerializedError } from '../common/errors.ts';
import { IPC_EVENT, IPC_INVOKE } from '../common/ipc.ts';

/**
 * Exposes exactly the typed contract to the sandboxed renderer as
 * `window.workbench`: invoke(channel, input) and onEvent(listener). Nothing
 * else of Electron or Node is reachable from the page.
 */
class IpcError extends Error {
  constructor(readonly error: SerializedError) {
    super(error.message);
  }
}

const api: WorkbenchApi = {
  door: 'electron',
  async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const r = (await ipcRenderer.invoke(IPC_INVOKE, channel, input)) as { ok: true; result: Output<C> } | { ok: false; error: SerializedError };
    if (!r.ok) throw new IpcError(r.error);
    return r.result;
  },
  onEvent(listener: (e: WorkbenchEvent) => void) {
    const wrapped = (_: unknown, e: WorkbenchEvent) => listener(e);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.off(IPC_EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('workbench', api);
