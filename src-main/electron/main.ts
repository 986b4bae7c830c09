import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess } from 'electron';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileDto, WorkbenchEvent } from '../common/contract.ts';
import { serializeError, type SerializedError } from '../common/errors.ts';
import { IPC_EVENT, IPC_INVOKE } from '../common/ipc.ts';
import type { SpawnWorker } from '../core/runs/launcher.ts';
import { WorkbenchService } from '../core/service/service.ts';
import { openDb, resolveDbPath } from '../core/store/db.ts';

/**
 * The thin Electron shell: one locked-down window on the renderer, the
 * contract's handlers on ipcMain (the same WorkbenchService as browser mode),
 * training in utilityProcesses, and native save dialogs for exports.
 */
const here = dirname(fileURLToPath(import.meta.url));
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

const dbArg = process.argv.find((a) => a.startsWith('--db='))?.slice(5);
const dbPath = resolveDbPath(dbArg);
let win: BrowserWindow | null = null;

/** Training runs in an Electron utilityProcess: a crash or OOM there cannot take the window down. */
const spawnUtility: SpawnWorker = (args) => {
  const child = utilityProcess.fork(join(here, 'train-worker.js'), args, { stdio: 'pipe', serviceName: 'workbench-trainer' });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return {
    pid: child.pid,
    send: (m) => child.postMessage(m),
    kill: () => child.kill(),
    onMessage: (cb) => child.on('message', cb),
    onExit: (cb) => child.on('exit', (code) => cb(code, null, stderr)),
  };
};

async function saveFile(file: FileDto): Promise<string | null> {
  const options = { defaultPath: file.fileName };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  writeFileSync(r.filePath, Buffer.from(file.base64, 'base64'));
  return r.filePath;
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Seq2Seq Workbench',
    webPreferences: { preload: join(here, '../preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  // No navigation away from the app; links open in the system browser.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
}

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  const emit = (event: WorkbenchEvent) => win?.webContents.send(IPC_EVENT, event);
  const service = new WorkbenchService({ db: openDb(dbPath), dbPath, door: 'electron', emit, spawn: spawnUtility, saveFile });
  ipcMain.handle(IPC_INVOKE, async (_e, channel: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: SerializedError }> => {
    try {
      return { ok: true, result: await service.dispatch(channel, input) };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  });
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
});
app.on('window-all-closed', () => app.quit());
