import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventMessage, RequestMessage, ResponseMessage, WorkbenchEvent } from '../common/contract.ts';
import { badInput, serializeError, WorkbenchError } from '../common/errors.ts';
import { WorkbenchService, type ServiceContext } from '../core/service/service.ts';
import { openDb } from '../core/store/db.ts';

/**
 * Browser mode: the built renderer over HTTP and the same contract, through
 * the same service handlers, over a WebSocket. Loopback by default. Every
 * request and socket must carry the random token printed at start (in the URL,
 * then an HttpOnly SameSite=Strict cookie for the page's assets), and requests
 * from other origins are refused, so another web page cannot reach the API.
 */
export interface ServerOptions {
  dbPath: string;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  /** the trainer and inference process launchers (default: Node child processes; tests pass stubs) */
  spawn?: ServiceContext['spawn'];
  spawnInference?: ServiceContext['spawnInference'];
}

export interface RunningServer {
  url: string;
  origin: string;
  token: string;
  service: WorkbenchService;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The page may talk to this server's socket only (the Host was checked before this is built). */
const csp = (host: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://${host}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies are shared by every port of a host: the name carries the port, so two servers never clobber each other's. */
function cookieToken(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return null;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`${root}/index.html not found: build the renderer first (npm run build)`);
  const sockets = new Set<WebSocket>();
  const emit = (event: WorkbenchEvent) => {
    const msg = JSON.stringify({ event } satisfies EventMessage);
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg);
  };
  const db = openDb(opts.dbPath);
  const service = new WorkbenchService({ db, dbPath: opts.dbPath, door: 'browser', emit, spawn: opts.spawn, spawnInference: opts.spawnInference });
  let origin = '';
  let cookieName = 'wb_token';

  const refuse = (res: ServerResponse, code: number, why: string) => {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(why);
  };

  // The page may be opened as 127.0.0.1, localhost or [::1] (an SSH tunnel often says localhost): a request
  // is same-origin when its Origin, if any, is this server under the Host it asked for. Host itself must
  // name this machine (unless bound to every interface), which shuts out DNS-rebinding pages.
  const wildcard = host === '0.0.0.0' || host === '::';
  const hostOk = (h: string | undefined) => {
    if (!h) return false;
    const name = h.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    return wildcard || name === host || LOOPBACK.has(name);
  };
  const sameOrigin = (req: IncomingMessage) => !req.headers.origin || req.headers.origin === `http://${req.headers.host}`;

  const server = createServer((req, res) => {
    if (!hostOk(req.headers.host)) return refuse(res, 421, 'unexpected Host header');
    if (!sameOrigin(req)) return refuse(res, 403, 'cross-origin requests are refused');
    const url = URL.parse(req.url ?? '/', origin);
    if (!url) return refuse(res, 400, 'malformed URL');
    const fromQuery = url.searchParams.get('token');
    if (!sameToken(fromQuery, token) && !sameToken(cookieToken(req, cookieName), token)) return refuse(res, 401, 'missing or wrong token: open the URL printed by "workbench serve"');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return refuse(res, 400, 'malformed path');
    }
    let path = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
    if (path === '/' || !extname(path)) path = '/index.html';
    const file = join(root, path);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return refuse(res, 404, 'not found');
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': csp(req.headers.host ?? ''),
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    };
    if (fromQuery) headers['set-cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 2 ** 20 });
  // Pings keep an idle socket open through SSH tunnels and proxies, and drop a peer that went away silently
  // (its page then reconnects on its own).
  const alive = new Set<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of sockets) {
      if (!alive.has(ws)) ws.terminate();
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, 30_000);
  heartbeat.unref();
  server.on('upgrade', (req, socket, head) => {
    const url = URL.parse(req.url ?? '/', origin);
    // Browsers always send Origin on a WebSocket handshake: one is required, and it must be this page's.
    const ok =
      url?.pathname === '/ws' &&
      hostOk(req.headers.host) &&
      Boolean(req.headers.origin) &&
      sameOrigin(req) &&
      (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req, cookieName), token));
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', async (data) => {
        let msg: RequestMessage;
        try {
          msg = JSON.parse(String(data)) as RequestMessage;
        } catch {
          return;
        }
        // Without a numeric id there is nothing to answer to; with one, every message gets an answer.
        if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') return;
        let reply: ResponseMessage;
        try {
          if (typeof msg.channel !== 'string') throw badInput('a request needs a channel name', { field: 'channel' });
          reply = { id: msg.id, ok: true, result: await service.dispatch(msg.channel, msg.input) };
        } catch (err) {
          reply = { id: msg.id, ok: false, error: serializeError(err) };
        }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    db.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new WorkbenchError('conflict', `port ${opts.port} on ${host} is in use (another workbench serve?): pick another with --port`, { field: 'port' });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new WorkbenchError('bad_input', `cannot listen on ${host}: no such address here`, { field: 'host' });
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  cookieName = `wb_token_${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    service,
    close: async () => {
      clearInterval(heartbeat);
      for (const s of sockets) s.terminate();
      wss.close();
      service.close();
      await new Promise<void>((r) => server.close(() => r()));
      db.close();
    },
  };
}
