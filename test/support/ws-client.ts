import WebSocket from 'ws';
import type {
  Channel,
  EventMessage,
  Input,
  Output,
  ResponseMessage,
  WorkbenchEvent,
} from '../../src-main/common/contract.ts';
import type { SerializedError } from '../../src-main/common/errors.ts';

/** A test's door to browser mode: the same wire format the renderer's bridge speaks. */
export class CallError extends Error {
  constructor(readonly error: SerializedError) {
    super(error.message);
  }
}

export interface WsClient {
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  /** anything, even a channel the contract does not have, for the server's own checks */
  raw(channel: string, input: unknown): Promise<unknown>;
  events: WorkbenchEvent[];
  waitForEvent(pred: (e: WorkbenchEvent) => boolean, timeoutMs?: number): Promise<WorkbenchEvent>;
  close(): void;
}

export function connect(origin: string, token: string): Promise<WsClient> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${token}`, { origin });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const events: WorkbenchEvent[] = [];
  const waiters = new Set<(e: WorkbenchEvent) => void>();
  let next = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ResponseMessage | EventMessage;
    if ('event' in msg) {
      events.push(msg.event);
      for (const w of waiters) w(msg.event);
      return;
    }
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.ok) p?.resolve(msg.result);
    else p?.reject(new CallError(msg.error));
  });
  const raw = (channel: string, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, channel, input }));
    });
  const client: WsClient = {
    call: (channel, input) => raw(channel, input) as Promise<never>,
    raw,
    events,
    waitForEvent: (pred, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const seen = events.find(pred);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error('no such event in time')), timeoutMs);
        const w = (e: WorkbenchEvent) => {
          if (!pred(e)) return;
          clearTimeout(timer);
          waiters.delete(w);
          resolve(e);
        };
        waiters.add(w);
      }),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** The error a call failed with (fails the test when it succeeded). */
export async function failure(p: Promise<unknown>): Promise<SerializedError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CallError) return err.error;
    throw err;
  }
  throw new Error('expected the call to fail');
}
