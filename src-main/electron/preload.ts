import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { WorkbenchEvent } from '../common/contract.ts';
import { IPC_EVENT, IPC_INVOKE, type IpcReply, type PreloadBridge } from '../common/ipc.ts';

/**
 * Exposes exactly the contract's transport to the sandboxed renderer as
 * `window.workbench`: request(channel, input) and onEvent(listener). Nothing
 * else of Electron or Node is reachable from the page. Inputs are validated
 * in the main process (the service's zod schemas), never trusted here.
 */
const bridge: PreloadBridge = {
  door: 'electron',
  request: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input) as Promise<IpcReply>,
  onEvent(listener) {
    const wrapped = (_: unknown, e: WorkbenchEvent) => listener(e);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => void ipcRenderer.off(IPC_EVENT, wrapped);
  },
  // A dropped 1M-pair file is imported from its path, not read into the page and copied over IPC.
  pathForFile: (file) => (file instanceof File ? webUtils.getPathForFile(file) : ''),
};

contextBridge.exposeInMainWorld('workbench', bridge);
