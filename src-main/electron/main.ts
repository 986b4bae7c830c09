import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess, type IpcMainInvokeEvent } from 'electron';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileDto, WorkbenchEvent } from '../common/contract.ts';
import { serializeError } from '../common/errors.ts';
import { IPC_EVENT, IPC_INVOKE, type IpcReply } from '../common/ipc.ts';
import { permissionAllowed } from './permissions.ts';
import type { UtilityFork } from './utility-workers.ts';

/**
 * The thin Electron shell: one locked-down window on the renderer, the
 * contract's handlers on ipcMain (the same WorkbenchService as browser mode,
 * set up in desktop-core.ts: training and decoding in utilityProcesses,
 * closed on quit), and native dialogs for exports and imports.
 *
 * better-sqlite3 is a native module: `npm ci` builds it for Node, and Electron
 * (another ABI) cannot load it until `npx @electron/rebuild` rebuilt it. Rather
 * than a dead window, the shell then runs the core as `workbench serve` under
 * the system Node (loopback, random token) and shows that in the same window.
 */
const here = dirname(fileURLToPath(import.meta.url)); // out/main (ESM: no __dirname)
const root = join(here, '..', '..');
const rendererIndex = join(here, '../renderer/index.html');
// `npm start -- --db PATH` (or --db=PATH), as for the CLI; otherwise WORKBENCH_DB or the checkout's experiments.db (the
// CLI's default too).
const dbFlag = process.argv.indexOf('--db');
const dbArg = dbFlag > 0 ? process.argv[dbFlag + 1] : process.argv.find((a) => a.startsWith('--db='))?.slice(5);

const CSP_BASE =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: " +
  "blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let win: BrowserWindow | null = null;
let serveChild: ChildProcess | null = null;

async function saveFile(file: FileDto): Promise<string | null> {
  const options = { defaultPath: file.fileName };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  writeFileSync(r.filePath, Buffer.from(file.base64, 'base64'));
  return r.filePath;
}

async function chooseFolder(title: string): Promise<string | null> {
  const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

async function pickFiles(opts: { title?: string; multiple?: boolean }): Promise<string[]> {
  const options = {
    title: opts.title ?? 'Import pairs',
    properties: ['openFile' as const, ...(opts.multiple ? ['multiSelections' as const] : [])],
    filters: [
      { name: 'Parallel data', extensions: ['tsv', 'txt', 'csv', 'jsonl', 'ndjson', 'en', 'hi'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? [] : r.filePaths;
}

/** Only our own page may call the core: not an iframe, not a page the window was somehow navigated to. */
function fromOwnPage(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? '';
  const own = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href;
  return e.senderFrame === e.sender.mainFrame && url.startsWith(own);
}

/** In-process core: the service on ipcMain. Throws when the native store module cannot load in Electron. */
async function startInProcessCore(): Promise<void> {
  const { resolveDbPath } = await import('../core/store/db.ts');
  const { openDesktopCore } = await import('./desktop-core.ts');
  const emit = (event: WorkbenchEvent) => win?.webContents.send(IPC_EVENT, event);
  const fork: UtilityFork = (file, args, options) => utilityProcess.fork(file, args, options);
  const core = openDesktopCore({ dbPath: resolveDbPath(dbArg), fork, emit, saveFile, chooseFolder, pickFiles });
  app.on('will-quit', () => core.close());
  const { service } = core;
  ipcMain.handle(IPC_INVOKE, async (e, channel: string, input: unknown): Promise<IpcReply> => {
    if (!fromOwnPage(e))
      return {
        ok: false,
        error: { code: 'bad_input', message: 'refused: request from a page that is not the workbench' },
      };
    try {
      return { ok: true, result: await service.dispatch(channel, input) };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  });
}

/** Fallback core: `workbench serve` on a random loopback port under the system Node; resolves with its URL. */
function startServeChild(): Promise<string> {
  const node = process.env.WORKBENCH_NODE || 'node';
  const args = [join(root, 'bin', 'workbench.js'), ...(dbArg ? ['--db', dbArg] : []), 'serve', '--port', '0'];
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(node, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env });
  serveChild = child;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', (e) => reject(new Error(`cannot start "${node}" for the workbench core: ${e.message}`)));
    child.on('exit', (code) =>
      reject(new Error(`the workbench core stopped (exit ${code}): ${err.trim() || out.trim()}`)),
    );
  });
}

function isNativeModuleFailure(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /NODE_MODULE_VERSION|compiled against a different|bindings file|better_sqlite3\.node|invalid ELF header/i.test(
    msg,
  );
}

function createWindow(pageUrl: string | null): void {
  const allowedPrefix = pageUrl
    ? new URL(pageUrl).origin + '/'
    : (process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href);
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Seq2Seq Workbench',
    // The served page talks over its WebSocket: no preload there, so the page has nothing but the web platform.
    webPreferences: {
      ...(pageUrl ? {} : { preload: join(here, '../preload/index.cjs') }),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // No navigation away from the app; https links open in the system browser.
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(allowedPrefix)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('closed', () => (win = null));
  if (pageUrl) void win.loadURL(pageUrl);
  else if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(rendererIndex);
}

async function start(): Promise<void> {
  let pageUrl: string | null = null;
  try {
    await startInProcessCore();
  } catch (err) {
    if (!isNativeModuleFailure(err)) throw err;
    process.stderr.write(
      'workbench: better-sqlite3 is built for Node, not Electron (run "npx ' +
        '@electron/rebuild -w better-sqlite3" to fix); using the core under Node instead\n',
    );
    pageUrl = await startServeChild();
  }
  const connect = pageUrl
    ? `connect-src 'self' ${new URL(pageUrl).origin.replace('http', 'ws')}`
    : "connect-src 'self'";
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [`${CSP_BASE}; ${connect}`] } }),
  );
  // The renderer never needs the camera, notifications, geolocation, devices...: only the clipboard's
  // write, from our own page. Both asking (request) and probing (check) get the same answer.
  const ownPrefix = pageUrl
    ? new URL(pageUrl).origin + '/'
    : (process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href);
  session.defaultSession.setPermissionRequestHandler((wc, permission, cb, details) =>
    cb(permissionAllowed(permission, details.requestingUrl ?? wc.getURL(), ownPrefix)),
  );
  session.defaultSession.setPermissionCheckHandler((wc, permission, _origin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? wc?.getURL() ?? '', ownPrefix),
  );
  session.defaultSession.setDevicePermissionHandler(() => false);
  createWindow(pageUrl);
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow(pageUrl));
}

void app
  .whenReady()
  .then(start)
  .catch((err: unknown) => {
    dialog.showErrorBox('Seq2Seq Workbench cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => serveChild?.kill('SIGTERM'));
