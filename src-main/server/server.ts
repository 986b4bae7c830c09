import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../common/errors.ts';
import { WorkbenchService, type ServiceContext } from '../core/service/service.ts';
import { openDb } from '../core/store/db.ts';
import { makeAccess } from './access.ts';
import { attachSocketApi } from './socket-api.ts';
import { serveRenderer } from './static-files.ts';

/**
 * Browser mode: the built renderer over HTTP (static-files.ts) and the same contract, through
 * the same service handlers, over a WebSocket (socket-api.ts). Loopback by default. Every
 * request and socket must carry the random token printed at start (in the URL,
 * then an HttpOnly SameSite=Strict cookie for the page's assets), and requests
 * from other origins are refused (access.ts), so another web page cannot reach the API.
 */
export interface ServerOptions {
  dbPath: string;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  /** a second token whose page may read but not change anything (common/channel-access.ts); none: no such link */
  readToken?: string;
  /** the trainer and inference process launchers (default: Node child processes; tests pass stubs) */
  spawn?: ServiceContext['spawn'];
  spawnInference?: ServiceContext['spawnInference'];
}

export interface RunningServer {
  url: string;
  origin: string;
  token: string;
  /** the page's URL with the read-only token, where one was given */
  readOnlyUrl?: string;
  service: WorkbenchService;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`${root}/index.html not found: build the renderer first (npm run build)`);
  const access = makeAccess(host, token, opts.readToken);
  let origin = ''; // known once listening (the port may be chosen by the system)
  const server = createServer(serveRenderer(root, access, () => origin));
  const db = openDb(opts.dbPath);
  const socketApi = attachSocketApi(
    server,
    access,
    () => origin,
    (channel, input) => service.dispatch(channel, input),
  );
  const service = new WorkbenchService({
    db,
    dbPath: opts.dbPath,
    door: 'browser',
    emit: (event) => socketApi.emit(event),
    spawn: opts.spawn,
    spawnInference: opts.spawnInference,
  });

  try {
    await listen(server, host, opts.port ?? 0);
  } catch (err) {
    socketApi.close();
    service.close();
    db.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  access.cookieName = `wb_token_${port}`;
  return {
    url: `${origin}/?token=${token}`,
    ...(opts.readToken ? { readOnlyUrl: `${origin}/?token=${opts.readToken}` } : {}),
    origin,
    token,
    service,
    close: async () => {
      socketApi.close();
      service.close();
      await new Promise<void>((r) => server.close(() => r()));
      db.close();
    },
  };
}

/** Listens, or says in words why not (a taken port, an address this machine does not have). */
async function listen(server: Server, host: string, port: number): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new WorkbenchError(
        'conflict',
        `port ${port} on ${host} is in use (another workbench serve?): pick another with --port`,
        { field: 'port' },
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new WorkbenchError('bad_input', `cannot listen on ${host}: no such address here`, { field: 'host' });
    }
    throw err;
  }
}
