/** Electron IPC channel names (kept apart from contract.ts so the preload bundle stays tiny). */
export const IPC_INVOKE = 'workbench:invoke';
export const IPC_EVENT = 'workbench:event';
