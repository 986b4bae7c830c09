import type {
  Channel,
  EventMessage,
  Input,
  Output,
  RequestMessage,
  ResponseMessage,
  WorkbenchApi,
  WorkbenchEvent,
} from '@common/contract.ts';
import type { ErrorCode, ErrorLocation, SerializedError } from '@common/errors.ts';
import type { PreloadBridge } from '@common/ipc.ts';

/**
 * The renderer's one way to the core. In Electron the preload exposes
 * `window.workbench`; in a browser (workbench serve) this module opens the
 * WebSocket bridge with the token the page was opened with. Views only see
 * `api.invoke` and `api.onEvent`, never which door is in use.
 */
export class ApiError extends Error {
  constructor(readonly error: SerializedError) {
    super(error.message);
    this.name = 'ApiError';
  }
  /** bad_input, not_found, conflict, unsupported, cancelled or internal: the same codes in both doors */
  get code(): ErrorCode {
    return this.error.code;
  }
  /** the file, line or field the error is about, to show it next to its cause */
  get where(): ErrorLocation {
    return this.error.where ?? {};
  }
}

declare global {
  interface Window {
    workbench?: PreloadBridge;
  }
}

/** Electron: the preload's IPC transport; replies carry errors as data, turned into ApiError here. */
class ElectronDoor implements WorkbenchApi {
  readonly door = 'electron' as const;
  constructor(private readonly bridge: PreloadBridge) {}

  async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const reply = await this.bridge.request(channel, input);
    if (!reply.ok) throw new ApiError(reply.error);
    return reply.result as Output<C>;
  }

  onEvent(listener: (e: WorkbenchEvent) => void): () => void {
    return this.bridge.onEvent(listener);
  }
}

/**
 * The access token: from the URL `workbench serve` printed, then kept for this tab only and taken out of the address
 * bar.
 */
function accessToken(): string {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('wb_token', fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem('wb_token') ?? '';
}

class BrowserBridge implements WorkbenchApi {
  readonly door = 'browser' as const;
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: WorkbenchEvent) => void>();
  private readonly token = accessToken();
  private retryMs = 500;

  private connect(): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    if (this.opening) return this.opening;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/ws?token=${encodeURIComponent(this.token)}`;
    this.opening = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        this.socket = ws;
        this.opening = null;
        this.retryMs = 500;
        resolve(ws);
      };
      ws.onerror = () => {
        this.opening = null;
        const message = this.token
          ? 'cannot reach the workbench server (is "workbench serve" still running, and is this its URL?)'
          : 'no access token: open the URL that "workbench serve" printed (it ends with ?token=…)';
        reject(new ApiError({ code: 'internal', message }));
      };
      ws.onclose = () => {
        this.socket = null;
        for (const p of this.pending.values())
          p.reject(new ApiError({ code: 'internal', message: 'connection to the workbench server closed' }));
        this.pending.clear();
        // Views that listen for progress keep getting it after the server restarts or the network blips.
        if (this.listeners.size > 0) {
          setTimeout(() => void this.connect().catch(() => {}), this.retryMs);
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
        }
      };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as ResponseMessage | EventMessage;
        if ('event' in msg) {
          for (const l of this.listeners) l(msg.event);
          return;
        }
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new ApiError(msg.error));
      };
    });
    return this.opening;
  }

  async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const ws = await this.connect();
    const id = this.nextId++;
    const request: RequestMessage = { id, channel, input };
    return new Promise<Output<C>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify(request));
    });
  }

  onEvent(listener: (e: WorkbenchEvent) => void): () => void {
    this.listeners.add(listener);
    void this.connect().catch(() => {});
    return () => this.listeners.delete(listener);
  }
}

export const api: WorkbenchApi = window.workbench ? new ElectronDoor(window.workbench) : new BrowserBridge();

/**
 * Where a picked or dropped file lives on disk: Electron knows (import it by path, however large);
 * a browser does not (null: upload its content).
 */
export function localPath(file: File): string | null {
  return window.workbench?.pathForFile(file) || null;
}

/** Hands a produced file to the user: Electron already saved it (savedTo); a browser downloads it. */
export function deliver(file: { fileName: string; mime: string; base64: string; savedTo?: string }): string {
  if (file.savedTo) return `saved to ${file.savedTo}`;
  if (!file.base64) return 'not saved';
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  downloadBlob(new Blob([bytes], { type: file.mime }), file.fileName);
  return `downloaded ${file.fileName}`;
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Saves a file made in the renderer (chart PNG/SVG/CSV): native dialog in Electron, download in a browser. */
export async function saveFromRenderer(blob: Blob, fileName: string): Promise<string> {
  if (api.door === 'browser') {
    downloadBlob(blob, fileName);
    return `downloaded ${fileName}`;
  }
  const base64 = toBase64(new Uint8Array(await blob.arrayBuffer()));
  return deliver(await api.invoke('export.file', { fileName, mime: blob.type, base64 }));
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Base64 of bytes, in chunks (spreading a large array into fromCharCode overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
