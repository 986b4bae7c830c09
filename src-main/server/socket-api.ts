import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNEL_ACCESS, type ChannelAccess } from '../common/channel-access.ts';
import type { EventMessage, RequestMessage, ResponseMessage, WorkbenchEvent } from '../common/contract.ts';
import { badInput, serializeError, WorkbenchError } from '../common/errors.ts';
import type { Access } from './access.ts';

/**
 * The contract over a WebSocket at /ws: each request message is answered (by its id) with the
 * dispatcher's result or its error as data; events go to every open socket. Pings keep an idle
 * socket open through SSH tunnels and proxies, and drop a peer that went away silently (its page
 * then reconnects on its own). A socket opened with the read-only token is answered on `read` channels
 * only (common/channel-access.ts); every other request gets an error naming the channel.
 */
export interface SocketApi {
  emit(event: WorkbenchEvent): void;
  close(): void;
}

export function attachSocketApi(
  server: Server,
  access: Access,
  origin: () => string,
  dispatch: (channel: string, input: unknown) => Promise<unknown>,
): SocketApi {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 2 ** 20 });
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
    const url = URL.parse(req.url ?? '/', origin());
    // Browsers always send Origin on a WebSocket handshake: one is required, and it must be this page's.
    const ok = url?.pathname === '/ws' && access.hostOk(req) && Boolean(req.headers.origin) && access.sameOrigin(req);
    const granted = ok ? access.grant(req, url) : null;
    if (!granted) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, String(data), granted));
    });
  });

  async function answer(ws: WebSocket, data: string, granted: ChannelAccess): Promise<void> {
    let msg: RequestMessage;
    try {
      msg = JSON.parse(data) as RequestMessage;
    } catch {
      return;
    }
    // Without a numeric id there is nothing to answer to; with one, every message gets an answer.
    if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') return;
    let reply: ResponseMessage;
    try {
      if (typeof msg.channel !== 'string') throw badInput('a request needs a channel name', { field: 'channel' });
      if (granted === 'read' && readOnlyRefuses(msg.channel)) {
        const why = `${msg.channel} changes the workbench: this page was opened with the read-only link`;
        throw new WorkbenchError('unsupported', why, { field: 'channel' });
      }
      reply = { id: msg.id, ok: true, result: await dispatch(msg.channel, msg.input) };
    } catch (err) {
      reply = { id: msg.id, ok: false, error: serializeError(err) };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  }

  return {
    emit(event) {
      const msg = JSON.stringify({ event } satisfies EventMessage);
      for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg);
    },
    close() {
      clearInterval(heartbeat);
      for (const s of sockets) s.terminate();
      wss.close();
    },
  };
}

/** A write channel; an unknown name passes on to the service, which says it is unknown. */
const readOnlyRefuses = (channel: string) =>
  Object.hasOwn(CHANNEL_ACCESS, channel) && CHANNEL_ACCESS[channel as keyof typeof CHANNEL_ACCESS] === 'write';
